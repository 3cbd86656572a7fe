-- the analyst's usual question (a maakunta, a horizon, which skills) answered from the index alone
CREATE INDEX demand_facts_maakunta_signal ON demand_facts (maakunta, polarity, horizon, month) INCLUDE (skill_uri, document_id, weight);
