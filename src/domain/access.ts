import { Type, type Static } from 'typebox';

/**
 * What an API key may do: send documents, read demand, administer its own organisation (admin), or run the
 * service: create organisations and administer any of them (operator). Admins and operators may also send and read.
 */
export const ROLES = ['contributor', 'analyst', 'admin', 'operator'] as const;
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
