import * as grpc from '@grpc/grpc-js';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { type Expected, type LogRecord, MAX_APPEND_SIZE, type ProposedEvent, type ProtocolLog } from './protocol-log';

/** What a stream read returns for the commit position: the index does not know it (u64::MAX). */
const NO_COMMIT_POSITION = '18446744073709551615';
const CHECKPOINT_EVERY = 32;

const streamName = (identifier: StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

const toReadEvent = (record: LogRecord, fromAll: boolean): ReadResp => {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(new UUID().setString(record.id));
  recorded.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(record.stream, 'utf8')));
  recorded.setStreamRevision(String(record.revision));
  recorded.setPreparePosition(String(record.position));
  recorded.setCommitPosition(fromAll ? String(record.position) : NO_COMMIT_POSITION);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', String(record.created));
  recorded.setCustomMetadata(record.metadata);
  recorded.setData(record.data);
  const event = new ReadResp.ReadEvent().setEvent(recorded);
  if (fromAll) event.setCommitPosition(String(record.position));
  else event.setNoPosition(new Empty());
  return new ReadResp().setEvent(event);
};

const fail = (call: grpc.ServerWritableStream<ReadReq, ReadResp>, code: grpc.status, details: string): void => {
  call.emit('error', { code, details, metadata: new grpc.Metadata() });
};

type Filter = (record: LogRecord) => boolean;

const filterOf = (options: ReadReq.Options): Filter => {
  const base: Filter = () => true;
  if (!options.hasFilter()) return base;
  const filter = options.getFilter()!;
  const expression = filter.hasStreamIdentifier() ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const pick = filter.hasStreamIdentifier() ? (r: LogRecord) => r.stream : (r: LogRecord) => r.type;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() === '' ? undefined : new RegExp(expression.getRegex());
  return (r) =>
    (prefixes.length === 0 || prefixes.some((p) => pick(r).startsWith(p))) &&
    (regex === undefined || regex.test(pick(r)));
};

const readStream = (
  log: ProtocolLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): void => {
  const stream = options.getStream()!;
  const name = streamName(stream.getStreamIdentifier());
  const length = log.streamLength(name);
  if (length === undefined) {
    call.write(
      new ReadResp().setStreamNotFound(
        new ReadResp.StreamNotFound().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(name))),
      ),
    );
    call.end();
    return;
  }
  const count = Number(options.getCount());
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const last = length - 1;
  const from = stream.hasStart()
    ? backwards
      ? -1
      : 0
    : stream.hasEnd()
      ? backwards
        ? last
        : last + 1
      : Number(stream.getRevision());
  const top = Math.min(from, last);
  const picked = backwards
    ? log
        .streamSlice(name, top - count + 1, top + 1)
        .slice()
        .reverse()
    : log.streamSlice(name, from, from + count);
  for (const record of picked) call.write(toReadEvent(record, false));
  call.end();
};

const readAll = (
  log: ProtocolLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): void => {
  const all = options.getAll()!;
  const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
  const from = all.hasStart() ? 0 : all.hasEnd() ? log.end : Number(all.getPosition()!.getCommitPosition());
  if (all.hasPosition()) {
    const prepare = Number(all.getPosition()!.getPreparePosition());
    if (prepare !== from || !log.isBoundary(from))
      return fail(
        call,
        grpc.status.INVALID_ARGUMENT,
        `invalid position C:${from}/P:${prepare}: not the start of a record`,
      );
  }
  const filter = filterOf(options);
  const count = Number(options.getCount());
  let sent = 0;
  const start = log.indexAt(from);
  for (
    let i = backwards ? start - 1 : start;
    sent < count && i >= 0 && i < log.records.length;
    i += backwards ? -1 : 1
  ) {
    const record = log.records[i]!;
    if (!filter(record)) continue;
    call.write(toReadEvent(record, true));
    sent += 1;
  }
  call.end();
};

/** A catch-up subscription to $all: confirmation, events after the position, checkpoints, caught-up, then live. */
const subscribeToAll = (
  log: ProtocolLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
): void => {
  const all = options.getAll()!;
  let after = -1;
  if (all.hasEnd()) after = log.end - 1;
  if (all.hasPosition()) {
    after = Number(all.getPosition()!.getCommitPosition());
    if (!log.isBoundary(after))
      return fail(call, grpc.status.INVALID_ARGUMENT, `invalid position C:${after}: not the start of a record`);
  }
  const filter = filterOf(options);
  log.subscriptionFilters.push(options.getFilter()?.getStreamIdentifier()?.getPrefixList() ?? []);
  call.write(
    new ReadResp().setConfirmation(
      new ReadResp.SubscriptionConfirmation().setSubscriptionId(`double-${Math.random().toString(16).slice(2)}`),
    ),
  );
  let next = log.indexAt(after + 1);
  let skipped = 0;
  const checkpoint = (position: number) =>
    call.write(
      new ReadResp().setCheckpoint(
        new ReadResp.Checkpoint().setCommitPosition(String(position)).setPreparePosition(String(position)),
      ),
    );
  const pump = (): void => {
    while (next < log.records.length) {
      const record = log.records[next++]!;
      if (filter(record)) call.write(toReadEvent(record, true));
      else if (++skipped % CHECKPOINT_EVERY === 0) checkpoint(record.position);
    }
  };
  pump();
  if (log.records.length > 0) checkpoint(log.records[log.records.length - 1]!.position);
  call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
  const stop = log.onAppend(pump);
  call.on('cancelled', stop);
  call.on('close', stop);
};

const expectedOf = (options: AppendReq.Options): Expected =>
  options.hasRevision()
    ? { kind: 'revision', revision: Number(options.getRevision()) }
    : options.hasNoStream()
      ? { kind: 'no_stream' }
      : options.hasStreamExists()
        ? { kind: 'stream_exists' }
        : { kind: 'any' };

const appendResponse = (
  expected: Expected,
  outcome: Exclude<ReturnType<ProtocolLog['append']>, 'too_large'>,
): AppendResp => {
  if (outcome.ok) {
    const success = new AppendResp.Success().setCurrentRevision(String(outcome.currentRevision));
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else
      success.setPosition(
        new AppendResp.Position()
          .setCommitPosition(String(outcome.position))
          .setPreparePosition(String(outcome.position)),
      );
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(String(outcome.currentRevision));
  if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
  else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
  else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedAny(new Empty());
  return new AppendResp().setWrongExpectedVersion(wrong);
};

/** The Streams service: Read (stream, $all, $all subscriptions) and classic Append. */
export const streamsService = (log: ProtocolLog): grpc.UntypedServiceImplementation => ({
  read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
    const options = call.request.getOptions();
    if (options === undefined) return fail(call, grpc.status.INVALID_ARGUMENT, 'read without options');
    log.calls.push({
      op: 'read',
      stream: options.hasAll() ? '$all' : streamName(options.getStream()?.getStreamIdentifier()),
    });
    if (options.hasSubscription()) {
      if (!options.hasAll())
        return fail(call, grpc.status.UNIMPLEMENTED, 'the protocol double only serves subscriptions to $all');
      return subscribeToAll(log, call, options);
    }
    return options.hasAll() ? readAll(log, call, options) : readStream(log, call, options);
  },
  append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      else {
        const m = req.getProposedMessage()!;
        events.push({
          id: m.getId()!.getString(),
          type: m.getMetadataMap().get('type') ?? '',
          contentType: m.getMetadataMap().get('content-type') ?? 'application/octet-stream',
          data: m.getData_asU8(),
          metadata: m.getCustomMetadata_asU8(),
        });
      }
    });
    call.on('end', () => {
      if (options === undefined)
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
      const expected = expectedOf(options);
      const stream = streamName(options.getStreamIdentifier());
      log.calls.push({ op: 'append', stream });
      const fault = log.fault?.(
        stream,
        events.map((e) => e.type),
      );
      const lost = { code: grpc.status.UNAVAILABLE, details: 'Connection dropped (injected by the test)' };
      if (fault === 'drop') return callback(lost);
      const outcome = log.append(stream, expected, events);
      if (fault === 'lose-reply') return callback(lost);
      if (outcome === 'too_large') {
        const metadata = new grpc.Metadata();
        metadata.set('exception', 'maximum-append-size-exceeded');
        metadata.set('maximum-append-size', String(MAX_APPEND_SIZE));
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'Maximum Append Size Exceeded', metadata });
      }
      callback(null, appendResponse(expected, outcome));
    });
  },
});
