"""Extension points other apps register into (in their AppConfig.ready), so that
santunan does not import them:

- AFTER_SUBMIT: callables(claim_id) run after a submission commits, and after the
  village completes the documents of a claim Dinas Sosial holds (e.g. queue the
  registry cross-check again).
- BEFORE_VERIFY: callables(claim=, user=, override_reason=) run with the claim locked
  before `verify`; raise ClaimError to refuse, or return a dict merged into the
  audit event's data (e.g. the overridden findings).
- DOCUMENT_REASONS: callables(claim) returning {document kind: [reason, ...]}: why a
  document in `extra_required_documents` is required, in words for the village
  (e.g. the registry finding that asked for it, without the registry's data).
- ON_EVENT: callables(event) run inside the transaction that records a claim event
  (santunan.services.record_event), so what they write commits or rolls back with the
  event (e.g. the outbox messages the event causes).
- AFTER_BULK_WRITE: callables() run after claims were written without their events
  passing through record_event (generate_claims writes by COPY), inside its transaction,
  to rebuild what ON_EVENT keeps (e.g. the dashboard's counts).
"""

AFTER_SUBMIT: list = []
BEFORE_VERIFY: list = []
DOCUMENT_REASONS: list = []
ON_EVENT: list = []
AFTER_BULK_WRITE: list = []
