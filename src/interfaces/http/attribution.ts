/** The attribution the ESCO licence asks for, in the API description and every CSV export. */
export const ATTRIBUTION = 'This service uses the ESCO classification of the European Commission.';
