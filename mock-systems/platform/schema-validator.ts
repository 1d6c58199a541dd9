import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * The project's one way to make a JSON Schema 2020-12 validator: every error collected (a
 * trainee fixing a request wants all violations at once), formats checked, and OpenAPI's
 * annotation keywords (`example`, `discriminator`, `x-…`) tolerated.
 */
export function createSchemaValidator(options: { coerce?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    coerceTypes: options.coerce ? 'array' : false,
    useDefaults: false,
  });
  addFormats(ajv);
  return ajv;
}
