import { Type, type Static } from 'typebox';

/** The languages the service reads and labels in. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export const Language = Type.Enum([...LANGUAGES]);
export type Language = Static<typeof Language>;
