import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import paymentSchema from '../starter/schemas/payment.json' with { type: 'json' };
import type { PlannedMessage } from './stream.ts';

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * The stream and the schema the trainee validates against must agree: every message planned as
 * schema-invalid fails the shipped schema, every other one passes it. A disagreement is a bug in
 * the lab (the schema or the planner changed), never the trainee's.
 */
export function assertStreamMatchesSchema(messages: PlannedMessage[]): void {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(paymentSchema);
  for (const message of messages) {
    let valid = false;
    try {
      valid = validate(JSON.parse(message.value));
    } catch {
      valid = false;
    }
    if (valid !== (message.kind !== 'schema-invalid')) {
      throw new Error(`planned ${message.kind} message ${message.paymentId} is ${valid ? 'valid' : 'invalid'} against starter/schemas/payment.json`);
    }
  }
}
