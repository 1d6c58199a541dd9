/**
 * The partner's returns API as the governance standard wants it: every rule of the catalogue
 * (governance/ruleset.ts) holds. The flaws in flaws.ts are planted into a copy of it, so the
 * handout differs from this only where a flaw was planted. Hidden: it is the model correction
 * of every handout, and with flaws.ts the list of what each seed plants.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const ref = (pointer: string): JsonObject => ({ $ref: pointer });
const json = (schema: JsonObject): JsonObject => ({ 'application/json': { schema } });

/** The errors every operation can meet at the gateway, plus those its inputs allow. */
function errors(...codes: Array<'400' | '404' | '409'>): JsonObject {
  const named: Record<string, string> = { '400': 'BadRequest', '404': 'NotFound', '409': 'Conflict' };
  return {
    ...Object.fromEntries(codes.map((code) => [code, ref(`#/components/responses/${named[code]}`)])),
    '401': ref('#/components/responses/Unauthorized'),
    '429': ref('#/components/responses/TooManyRequests'),
  };
}

const page = { parameters: [ref('#/components/parameters/Cursor'), ref('#/components/parameters/Limit')] };
const idempotent = [ref('#/components/parameters/IdempotencyKey')];

export function baseContract(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parcel Returns API',
      version: '1.4.0',
      description:
        'Returns service of our logistics partner: shoppers register a return, the partner issues a label, ' +
        'schedules a pickup and reports the refund once the parcel is inspected.',
      contact: { name: 'Partner integration team', email: 'integrations@partner.example' },
    },
    servers: [{ url: 'https://api.partner.example/returns/v1', description: 'production' }],
    security: [{ PartnerApiKey: [] }],
    tags: [{ name: 'returns' }, { name: 'pickups' }, { name: 'refunds' }],
    paths: {
      '/returns': {
        get: {
          operationId: 'listReturns',
          tags: ['returns'],
          summary: 'Returns registered by this merchant, newest first',
          ...page,
          responses: { '200': { description: 'One page of returns', content: json(ref('#/components/schemas/ReturnPage')) }, ...errors('400') },
        },
        post: {
          operationId: 'createReturn',
          tags: ['returns'],
          summary: 'Register a return for a delivered order',
          parameters: idempotent,
          requestBody: { required: true, content: json(ref('#/components/schemas/ReturnRequest')) },
          responses: { '201': { description: 'The return, with its label to follow', content: json(ref('#/components/schemas/Return')) }, ...errors('400', '409') },
        },
      },
      '/returns/{returnId}': {
        parameters: [ref('#/components/parameters/ReturnId')],
        get: {
          operationId: 'getReturn',
          tags: ['returns'],
          summary: 'One return',
          responses: { '200': { description: 'The return', content: json(ref('#/components/schemas/Return')) }, ...errors('404') },
        },
      },
      '/returns/{returnId}/cancel': {
        parameters: [ref('#/components/parameters/ReturnId')],
        post: {
          operationId: 'cancelReturn',
          tags: ['returns'],
          summary: 'Cancel a return before its pickup',
          parameters: idempotent,
          responses: { '200': { description: 'The cancelled return', content: json(ref('#/components/schemas/Return')) }, ...errors('404', '409') },
        },
      },
      '/returns/{returnId}/label': {
        parameters: [ref('#/components/parameters/ReturnId')],
        get: {
          operationId: 'getReturnLabel',
          tags: ['returns'],
          summary: 'The shipping label of a return',
          responses: { '200': { description: 'The label', content: json(ref('#/components/schemas/ReturnLabel')) }, ...errors('404') },
        },
      },
      '/pickups': {
        get: {
          operationId: 'listPickups',
          tags: ['pickups'],
          summary: 'Scheduled pickups',
          ...page,
          responses: { '200': { description: 'One page of pickups', content: json(ref('#/components/schemas/PickupPage')) }, ...errors('400') },
        },
        post: {
          operationId: 'schedulePickup',
          tags: ['pickups'],
          summary: 'Schedule the pickup of one or more returns',
          parameters: idempotent,
          requestBody: { required: true, content: json(ref('#/components/schemas/PickupRequest')) },
          responses: { '201': { description: 'The pickup', content: json(ref('#/components/schemas/Pickup')) }, ...errors('400', '409') },
        },
      },
      '/refunds': {
        get: {
          operationId: 'listRefunds',
          tags: ['refunds'],
          summary: 'Refunds reported after inspection',
          ...page,
          responses: { '200': { description: 'One page of refunds', content: json(ref('#/components/schemas/RefundPage')) }, ...errors('400') },
        },
      },
      '/refunds/{refundId}': {
        parameters: [{ name: 'refundId', in: 'path', required: true, schema: { type: 'string', pattern: '^RF-[0-9]{8}$' } }],
        get: {
          operationId: 'getRefund',
          tags: ['refunds'],
          summary: 'One refund',
          responses: { '200': { description: 'The refund', content: json(ref('#/components/schemas/Refund')) }, ...errors('404') },
        },
      },
    },
    components: {
      securitySchemes: {
        PartnerApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The merchant key the partner issued' },
      },
      parameters: {
        ReturnId: { name: 'returnId', in: 'path', required: true, schema: { type: 'string', pattern: '^RT-[0-9]{8}$' } },
        Cursor: { name: 'cursor', in: 'query', required: false, description: 'nextCursor of the previous page; absent for the first', schema: { type: 'string' } },
        Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'A key the caller makes once per intended write; a retry with the same key returns the first result',
          schema: { type: 'string', minLength: 8, maxLength: 64 },
        },
      },
      responses: {
        BadRequest: problem('The request breaks the contract; errors[] lists each violation'),
        Unauthorized: problem('The API key is missing or unknown'),
        NotFound: problem('No such resource for this merchant'),
        Conflict: problem('The resource is in a state that does not allow this'),
        TooManyRequests: {
          ...problem('Rate limit reached; wait for Retry-After seconds'),
          headers: { 'Retry-After': { schema: { type: 'integer', minimum: 0 } } },
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', format: 'uri-reference' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } } },
          },
        },
        ReturnRequest: {
          type: 'object',
          required: ['orderReference', 'items'],
          properties: {
            orderReference: { type: 'string', maxLength: 40 },
            reason: { type: 'string', enum: ['damaged', 'wrong-item', 'not-as-described', 'no-longer-needed'] },
            items: { type: 'array', minItems: 1, items: ref('#/components/schemas/ReturnItem') },
            customerNote: { type: 'string', maxLength: 500 },
          },
        },
        ReturnItem: {
          type: 'object',
          required: ['sku', 'quantity'],
          properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
        },
        Return: {
          type: 'object',
          required: ['returnId', 'orderReference', 'status', 'createdAt'],
          properties: {
            returnId: { type: 'string' },
            orderReference: { type: 'string' },
            status: { type: 'string', enum: ['registered', 'label-issued', 'picked-up', 'inspected', 'refunded', 'cancelled'] },
            items: { type: 'array', items: ref('#/components/schemas/ReturnItem') },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        ReturnPage: pageOf('Return'),
        ReturnLabel: {
          type: 'object',
          required: ['returnId', 'carrier', 'trackingNumber', 'labelUrl'],
          properties: { returnId: { type: 'string' }, carrier: { type: 'string' }, trackingNumber: { type: 'string' }, labelUrl: { type: 'string', format: 'uri' } },
        },
        PickupRequest: {
          type: 'object',
          required: ['returnIds', 'date'],
          properties: {
            returnIds: { type: 'array', minItems: 1, items: { type: 'string' } },
            date: { type: 'string', format: 'date' },
            timeWindow: { type: 'string', enum: ['morning', 'afternoon'] },
          },
        },
        Pickup: {
          type: 'object',
          required: ['pickupId', 'returnIds', 'date', 'status'],
          properties: {
            pickupId: { type: 'string' },
            returnIds: { type: 'array', items: { type: 'string' } },
            date: { type: 'string', format: 'date' },
            status: { type: 'string', enum: ['scheduled', 'collected', 'missed'] },
          },
        },
        PickupPage: pageOf('Pickup'),
        Refund: {
          type: 'object',
          required: ['refundId', 'returnId', 'amount', 'currency'],
          properties: {
            refundId: { type: 'string' },
            returnId: { type: 'string' },
            amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$', description: 'decimal string in major units' },
            currency: { type: 'string', pattern: '^[A-Z]{3}$' },
          },
        },
        RefundPage: pageOf('Refund'),
      },
    },
  };
}

function problem(description: string): JsonObject {
  return { description, content: { 'application/problem+json': { schema: ref('#/components/schemas/Problem') } } };
}

function pageOf(schema: string): JsonObject {
  return {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref(`#/components/schemas/${schema}`) },
      nextCursor: { type: ['string', 'null'], description: 'cursor of the next page; null on the last' },
    },
  };
}
