import { type Static, type TSchema, Type } from '@sinclair/typebox';

export const IdParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: 2147483647 }) },
  { additionalProperties: false },
);
export type IdParams = Static<typeof IdParams>;

export const OkResponse = Type.Object({ ok: Type.Literal(true) });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer() });
}

/** A trimmed, non-empty single-line string. */
export function Text(maxLength: number, minLength = 1) {
  return Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u001f]*$' });
}

export const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });

/**
 * A staff member's work e-mail address: the JSON Schema `email` format (ASCII local part and domain, the
 * domain with a dot), at most 254 characters. Residents never have accounts, so this is staff data only.
 */
export const Email = Type.String({ format: 'email', maxLength: 254 });
