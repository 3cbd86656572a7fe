import { Type, type Static } from 'typebox';

/** What an API key may do: send documents, read demand, or administer its organisation. */
export const ROLES = ['contributor', 'analyst', 'admin'] as const;
export const Role = Type.Enum([...ROLES]);
export type Role = Static<typeof Role>;

/** Who is calling: the key, its organisation and its role. */
export const Principal = Type.Object({
  keyId: Type.String(),
  orgId: Type.String(),
  orgName: Type.String(),
  role: Role,
});
export type Principal = Static<typeof Principal>;
