import type * as t from 'io-ts';

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** What a codec's schema describer may ask of the walk that turns codecs into schemas. */
export interface SchemaContext {
  /** The schema of a codec the described one is built from (a field, an array item, a union member). */
  readonly schemaOf: (codec: t.Any, at: string, omit?: ReadonlySet<string>) => JsonSchema;
  /** Fields to leave out of this object (only the schema's root object, or each member of a root union). */
  readonly omit: ReadonlySet<string>;
  /** Descriptions of tagged-union members by their `type` tag, for this union. */
  readonly memberDescriptions: Readonly<Record<string, string>>;
  /** Where in the schema the walk is, for error messages (`TreasuryCommand > PlaceBet > stake`). */
  readonly at: string;
}

/** A codec that has no JSON Schema: a hand-built `t.Type` nobody described, or an io-ts combinator without a JSON form. */
export class JsonSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSchemaError';
  }
}

/** A codec's schema: fixed, or built from the schemas of the codecs it is made of. */
export type SchemaDescriber = JsonSchema | ((context: SchemaContext) => JsonSchema);

// Keyed by the codec object itself: custom codecs are hand-built `t.Type`s whose `_tag` says nothing about their shape.
const describers = new WeakMap<t.Any, SchemaDescriber>();

/**
 * Registers the JSON Schema of a codec's wire form (what `encode` writes, what a client sends), where the codec is
 * created. Returns the codec, so it can wrap the construction. Registering twice replaces the first.
 */
export const describeSchema = <C extends t.Any>(codec: C, describer: SchemaDescriber): C => {
  describers.set(codec, describer);
  return codec;
};

/** The registered describer of a codec, if any. */
export const schemaDescriberOf = (codec: t.Any): SchemaDescriber | undefined => describers.get(codec);
