// The nightly reconciler's tables (issue 11): its runs, each with the report it ended with, and
// the settlements it (or an operator, by hand) recorded before moving a top-up to a provider's
// status. A settlement is written ahead of the change (APPLYING) and completed after it
// (APPLIED, UNCHANGED or REFUSED); it is recorded once per (window key, or the operator, top-up,
// attempt, target status), and a trigger keeps it append-only but for that completion, done once.
// A run's start is never rewritten, nor a finished run; a run that failed, or that a killed process
// left open (closed by the next run of its window), is finished FAILED with why and no report. Two indexes on the attempts serve the
// reconciler: (provider_id, started_at) for a day at a provider, and a partial one of the attempts
// a provider holds (Pending, Unknown, InFlight) so that its holding is summed without reading
// history. Down drops all of it.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The longest reason of a settlement, in characters. */
export const MAX_SETTLEMENT_REASON_LENGTH = 500;
/** The longest refusal kept with a settlement, in characters. */
export const MAX_SETTLEMENT_REFUSAL_LENGTH = 1000;

const CLASSES = `('CREATED', 'CONFIRMED', 'SUBMITTED', 'COMPLETED', 'REVERSED', 'REJECTED', 'CANCELLED', 'DECLINED')`;

/** Text for people that a terminal prints as it is: no control character but tab and line feed. */
const printable = (column: string) => `${column} !~ '[\\u0001-\\u0008\\u000b-\\u001f\\u007f-\\u009f]'`;

export class Reconciliation1764500000000 implements MigrationInterface {
  name = 'Reconciliation1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE reconciliation_runs (
        id           text        PRIMARY KEY CONSTRAINT reconciliation_runs_id_valid CHECK (identifier_is_valid(id, 100, false)),
        provider_id  text        NOT NULL CONSTRAINT reconciliation_runs_provider_id_valid CHECK (provider_id ~ '^[!-~]{1,100}$'),
        window_from  timestamptz NOT NULL,
        window_to    timestamptz NOT NULL,
        started_at   timestamptz NOT NULL,
        finished_at  timestamptz,
        outcome      text        CONSTRAINT reconciliation_runs_outcome_valid CHECK (outcome IN ('MATCHED', 'MISMATCHES', 'UNVERIFIED', 'FAILED')),
        report       jsonb       CONSTRAINT reconciliation_runs_report_is_object CHECK (jsonb_typeof(report) = 'object'),
        summary      text,
        CONSTRAINT reconciliation_runs_window_ordered CHECK (window_from < window_to),
        -- a run is finished with its outcome, report and summary, all at once; a FAILED run (it
        -- failed, or was found abandoned by a later run of its window) has no report, its summary says why
        CONSTRAINT reconciliation_runs_finished_whole CHECK (
          (finished_at IS NULL) = (outcome IS NULL) AND (finished_at IS NULL) = (summary IS NULL)
          AND (report IS NOT NULL) = (finished_at IS NOT NULL AND outcome <> 'FAILED'))
      )`);
    await runner.query(
      `CREATE INDEX reconciliation_runs_by_window ON reconciliation_runs (provider_id, window_from, window_to, started_at DESC)`,
    );
    await runner.query(`
      CREATE FUNCTION reconciliation_runs_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.finished_at IS NOT NULL THEN
          RAISE EXCEPTION 'reconciliation run % is finished and is never rewritten', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        IF (NEW.id, NEW.provider_id, NEW.window_from, NEW.window_to, NEW.started_at)
           IS DISTINCT FROM (OLD.id, OLD.provider_id, OLD.window_from, OLD.window_to, OLD.started_at) THEN
          RAISE EXCEPTION 'the start of reconciliation run % is never rewritten', OLD.id USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER reconciliation_runs_no_rewrite BEFORE UPDATE ON reconciliation_runs
      FOR EACH ROW EXECUTE FUNCTION reconciliation_runs_guard()`);

    await runner.query(`
      CREATE TABLE reconciliation_settlements (
        id                    text        PRIMARY KEY CONSTRAINT reconciliation_settlements_id_valid CHECK (identifier_is_valid(id, 100, false)),
        top_up_id             text        NOT NULL REFERENCES top_ups (id),
        provider_id           text        NOT NULL CONSTRAINT reconciliation_settlements_provider_id_valid CHECK (provider_id ~ '^[!-~]{1,100}$'),
        provider_external_id  text        CONSTRAINT reconciliation_settlements_provider_external_id_valid CHECK (identifier_is_valid(provider_external_id, 40, false)),
        -- the attempt settled; null only for a top-up with no attempt
        attempt_number        smallint,
        from_status_class     text        NOT NULL CONSTRAINT reconciliation_settlements_from_class_valid CHECK (from_status_class IN ${CLASSES}),
        from_status           text        NOT NULL,
        to_status_class       text        NOT NULL CONSTRAINT reconciliation_settlements_to_class_valid CHECK (to_status_class IN ${CLASSES}),
        to_status             text        NOT NULL,
        reason                text        NOT NULL CONSTRAINT reconciliation_settlements_reason_valid
                                          CHECK (length(reason) BETWEEN 1 AND ${MAX_SETTLEMENT_REASON_LENGTH} AND ${printable('reason')}),
        actor                 text        NOT NULL CONSTRAINT reconciliation_settlements_actor_valid CHECK (actor IN ('reconciler', 'operator')),
        operator              text        CONSTRAINT reconciliation_settlements_operator_valid CHECK (identifier_is_valid(operator, 100, true)),
        window_key            text        CONSTRAINT reconciliation_settlements_window_key_valid CHECK (length(window_key) BETWEEN 1 AND 300 AND window_key ~ '^[!-~]+$'),
        state                 text        NOT NULL CONSTRAINT reconciliation_settlements_state_valid CHECK (state IN ('APPLYING', 'APPLIED', 'UNCHANGED', 'REFUSED')),
        refusal               text        CONSTRAINT reconciliation_settlements_refusal_valid CHECK (length(refusal) BETWEEN 1 AND ${MAX_SETTLEMENT_REFUSAL_LENGTH}),
        recorded_at           timestamptz NOT NULL,
        completed_at          timestamptz,
        -- the reconciler settles within a window; an operator by name, outside any
        CONSTRAINT reconciliation_settlements_actor_named CHECK (
          CASE actor WHEN 'reconciler' THEN window_key IS NOT NULL AND operator IS NULL
                     ELSE operator IS NOT NULL AND window_key IS NULL END),
        CONSTRAINT reconciliation_settlements_completed CHECK ((state = 'APPLYING') = (completed_at IS NULL)),
        -- a refused settlement says why; one still applying has no refusal yet
        CONSTRAINT reconciliation_settlements_refusal_recorded CHECK (
          (state <> 'REFUSED' OR refusal IS NOT NULL) AND (state <> 'APPLYING' OR refusal IS NULL)),
        CONSTRAINT reconciliation_settlements_attempt_exists FOREIGN KEY (top_up_id, attempt_number) REFERENCES top_up_attempts (top_up_id, number)
      )`);
    await runner.query(`
      CREATE UNIQUE INDEX reconciliation_settlements_once ON reconciliation_settlements
        ((coalesce(window_key, 'operator:' || operator)), top_up_id, (coalesce(attempt_number, 0)), to_status)`);
    await runner.query(
      `CREATE INDEX reconciliation_settlements_by_window ON reconciliation_settlements (window_key, recorded_at, id) WHERE window_key IS NOT NULL`,
    );
    // every run first finishes the settlements a crash left APPLYING, whatever their window
    await runner.query(
      `CREATE INDEX reconciliation_settlements_unfinished ON reconciliation_settlements (recorded_at, id) WHERE state = 'APPLYING'`,
    );
    await runner.query(
      `CREATE INDEX reconciliation_settlements_by_top_up ON reconciliation_settlements (top_up_id, recorded_at, id)`,
    );
    await runner.query(`
      CREATE FUNCTION reconciliation_settlements_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'reconciliation_settlements is append-only' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.state <> 'APPLYING' AND to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
          RAISE EXCEPTION 'settlement % is completed (%) and is never rewritten', OLD.id, OLD.state USING ERRCODE = 'restrict_violation';
        END IF;
        IF to_jsonb(NEW) - ARRAY['state', 'refusal', 'completed_at'] IS DISTINCT FROM to_jsonb(OLD) - ARRAY['state', 'refusal', 'completed_at'] THEN
          RAISE EXCEPTION 'reconciliation_settlements is append-only: only the completion of a settlement is written later' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER reconciliation_settlements_no_rewrite BEFORE UPDATE OR DELETE ON reconciliation_settlements
      FOR EACH ROW EXECUTE FUNCTION reconciliation_settlements_guard()`);

    // a day of attempts at one provider, read by the reconciler
    await runner.query(`CREATE INDEX top_up_attempts_by_provider_started ON top_up_attempts (provider_id, started_at)`);
    // what a provider holds for us: its attempts still held, however long the history
    await runner.query(
      `CREATE INDEX top_up_attempts_held_by_provider ON top_up_attempts (provider_id, top_up_id) WHERE state IN ('Pending', 'Unknown', 'InFlight')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX top_up_attempts_held_by_provider`);
    await runner.query(`DROP INDEX top_up_attempts_by_provider_started`);
    for (const table of ['reconciliation_settlements', 'reconciliation_runs']) {
      await runner.query(`DROP TABLE ${table}`);
    }
    await runner.query(`DROP FUNCTION reconciliation_settlements_guard()`);
    await runner.query(`DROP FUNCTION reconciliation_runs_guard()`);
  }
}
