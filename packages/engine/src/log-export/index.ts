export {
  EXPORT_FORMAT,
  ExportHeaderCodec,
  ExportedEventCodec,
  ExportTrailerCodec,
  type ExportedEvent,
  type ExportTrailer,
} from './export-format';
export { exportLog, type LineSink } from './export-log';
export {
  importLog,
  MAX_EXPORT_LINE,
  type ImportOptions,
  type ImportProblem,
  type ImportProblemCode,
  type ImportResult,
} from './import-log';
