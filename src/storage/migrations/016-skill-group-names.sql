-- Finnish and Swedish names of the skill groups, where ESCO's files in those languages were imported
ALTER TABLE esco_skill_groups ADD COLUMN pref_fi text, ADD COLUMN pref_sv text;
