import { writeFile } from 'node:fs/promises';
import { ALL_SERVICES, DEFAULT_PORTS, startEmbeddedEnvironment, type EmbeddedEnvironment } from '../../environment/embedded.ts';
import type { ServiceName } from '../../environment/environment.ts';
import { untilExitSignal } from '../../environment/exit-signals.ts';
import { SUBMISSION_VARIABLES } from '../../environment/variables.ts';
import { EXIT_CODES, UsageError, type Command } from '../command.ts';
import { prepareLabEnvironment } from '../../grading/index.ts';
import { integerOption, LABS_DIR_HELP, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine, seedFrom } from './shared-options.ts';

const HELP = `Usage: lab start [<lab>] [options]

Starts the lab environment on this machine and keeps it running until Ctrl-C:
the mock CRM, ERP and logistics partner APIs, the Kafka broker and a PostgreSQL
server. Prints each service's address and credentials, and the environment
variables your code should read.

With a lab (e.g. 'lab start 01'), starts only the services that lab needs, with
its seeded data and its fault plan, so you can run your solution against what
the grader will use.

Options:
  --seed <n>             Seed of the generated data and faults (default 1)
  --size <n>             Records per mock system (default 50)
  --services <list>      Comma-separated subset of: ${ALL_SERVICES.join(', ')} (without a lab)
  --crm-port <n>         Port of the CRM (default ${DEFAULT_PORTS.crm})
  --erp-port <n>         Port of the ERP (default ${DEFAULT_PORTS.erp})
  --partner-port <n>     Port of the partner API (default ${DEFAULT_PORTS.partner})
  --kafka-port <n>       Port of the Kafka broker (default ${DEFAULT_PORTS.kafka})
  --postgres-port <n>    Port of PostgreSQL (default ${DEFAULT_PORTS.postgres})
  --ephemeral-ports      Pick free ports instead of the defaults
  --no-faults            Leave out the systems' everyday faults and limits (the partner's occasional 503s and its rate limit)
  --keep-data            Keep PostgreSQL's data directory after stopping (its path is printed)
  --write-env <path>     Also write the environment variables to this file (KEY=value lines)
  --admin-token <token>  Token of the admin API (default: $LAB_ADMIN_TOKEN, else a fresh one, printed)
  --json                 Print the services and variables as one JSON object instead of a table
  --env embedded         Where the services run: this machine (the only choice; on Docker,
                         'docker compose up -d' starts the same environment, see docs/docker.md)
${LABS_DIR_HELP}
  -h, --help             Show this help

Each mock system serves interactive API docs at <url>/docs/ and its admin API
(request journal, fault rules, data reset) at <url>/__admin, which needs the
header 'Authorization: Bearer <admin token>'; the token is printed at start.

Exit codes: 0 stopped cleanly, 2 usage error, 3 a service could not start.

Examples:
  npm start
  lab start 01-customer-mapping --seed 7
  lab start --seed 42 --services crm,erp
  lab start --ephemeral-ports --json
`;

// One way to run the environment on containers: the compose file, which keeps `npm start`'s ports.
const ON_DOCKER =
  "lab start runs the services on this machine; on Docker the same environment is 'docker compose up -d' " +
  '(build the images first: scripts/build-images.sh), with the same addresses, credentials and variables as lab start ' +
  "(docs/docker.md). Grade against it with 'lab grade <lab> <dir> --env external', which sets the lab's data and faults.";

export const startCommand: Command = {
  name: 'start',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      ...LABS_DIR_OPTION,
      seed: { type: 'string' },
      size: { type: 'string' },
      services: { type: 'string' },
      'crm-port': { type: 'string' },
      'erp-port': { type: 'string' },
      'partner-port': { type: 'string' },
      'kafka-port': { type: 'string' },
      'postgres-port': { type: 'string' },
      'ephemeral-ports': { type: 'boolean' },
      'no-faults': { type: 'boolean' },
      'keep-data': { type: 'boolean' },
      'write-env': { type: 'string' },
      'admin-token': { type: 'string' },
      json: { type: 'boolean' },
      env: { type: 'string' },
    });
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    if (values.env === 'docker') throw new UsageError(ON_DOCKER);
    if (values.env !== undefined && values.env !== 'embedded') throw new UsageError(`--env must be embedded (got '${values.env}'); on Docker: ${ON_DOCKER}`);
    const ports: Partial<Record<ServiceName, number>> = {};
    for (const service of ALL_SERVICES) {
      const port = integerOption(values[`${service}-port`], `--${service}-port`, { min: 1, max: 65535 });
      if (port !== undefined) ports[service] = port;
    }
    const options = {
      seed: seedFrom(values.seed) ?? 1,
      ports: values['ephemeral-ports'] ? ('ephemeral' as const) : ports,
      ...(values.size === undefined ? {} : { size: integerOption(values.size, '--size', { min: 0, max: 100_000 })! }),
      keepData: values['keep-data'] === true,
      ...adminTokenFrom(values['admin-token'] as string | undefined),
    };

    let environment: EmbeddedEnvironment;
    let labTitle: string | undefined;
    if (positionals[0] === undefined) {
      environment = await startEmbeddedEnvironment({ ...options, services: parseServices(values.services as string | undefined), defaultFaults: !values['no-faults'], quiet: Boolean(values['no-faults']) });
    } else {
      if (values.services) throw new UsageError('--services does not go with a lab: the lab names the services it needs');
      const lab = labFrom(labsDirFrom(values), positionals[0]);
      labTitle = `${lab.id}: ${lab.manifest.title}`;
      let started: EmbeddedEnvironment | undefined;
      // The lab's scenario scripts its own faults, so the systems' everyday faults stay off.
      const session = await prepareLabEnvironment(lab, {
        seed: options.seed,
        startEnvironment: async ({ services, seed }) => (started = await startEmbeddedEnvironment({ ...options, seed, services, defaultFaults: false })),
      });
      environment = { ...started!, stop: () => session.stop() };
    }

    if (values['write-env']) await writeFile(values['write-env'], envFile(environment));
    process.stdout.write(values.json ? `${JSON.stringify({ ...(labTitle ? { lab: labTitle } : {}), ...describe(environment) })}\n` : table(environment, values['write-env'], labTitle));

    await untilExitSignal();
    process.stderr.write('\nStopping…\n');
    await environment.stop();
    if (environment.postgres && values['keep-data']) process.stderr.write(`PostgreSQL data kept in ${environment.postgres.dataDir}\n`);
    return EXIT_CODES.ok;
  },
};

function adminTokenFrom(flag: string | undefined): { adminToken?: string } {
  const token = flag ?? process.env.LAB_ADMIN_TOKEN;
  if (token === undefined) return {};
  if (!/^[\x21-\x7e]{8,}$/.test(token)) throw new UsageError('--admin-token (or LAB_ADMIN_TOKEN) must be at least 8 printable characters without spaces');
  return { adminToken: token };
}

function parseServices(list: string | undefined): ServiceName[] {
  if (list === undefined) return ALL_SERVICES;
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !ALL_SERVICES.includes(name as ServiceName));
  if (unknown.length > 0) throw new UsageError(`unknown service '${unknown[0]}' in --services; choose from ${ALL_SERVICES.join(', ')}`);
  return names as ServiceName[];
}

function describe(environment: EmbeddedEnvironment) {
  const { crm, erp, partner } = environment.mockServers;
  return {
    seed: environment.seed,
    adminToken: environment.adminToken,
    services: {
      ...(crm ? { crm: { url: crm.url, docs: `${crm.url}/docs/`, admin: `${crm.url}/__admin`, apiKeyHeader: 'X-API-Key' } } : {}),
      ...(erp ? { erp: { url: erp.url, docs: `${erp.url}/docs/`, admin: `${erp.url}/__admin`, tokenUrl: `${erp.url}/oauth/token` } } : {}),
      ...(partner ? { partner: { url: partner.url, docs: `${partner.url}/docs/`, admin: `${partner.url}/__admin`, apiKeyHeader: 'X-API-Key' } } : {}),
      ...(environment.kafka ? { kafka: { bootstrapServers: environment.kafka.bootstrapServers } } : {}),
      ...(environment.postgres ? { postgres: { port: environment.postgres.port, dataDir: environment.postgres.dataDir } } : {}),
    },
    variables: environment.variables,
  };
}

function table(environment: EmbeddedEnvironment, envFilePath: string | undefined, labTitle: string | undefined): string {
  const { crm, erp, partner } = environment.mockServers;
  const variables = environment.variables;
  const rows: Array<[string, string, string]> = [];
  if (crm) rows.push(['CRM', crm.url, `header X-API-Key: ${variables.CRM_API_KEY}`]);
  if (erp) rows.push(['ERP', erp.url, `OAuth2 client ${variables.ERP_CLIENT_ID} / ${variables.ERP_CLIENT_SECRET} at /oauth/token`]);
  if (partner) rows.push(['Partner', partner.url, `header X-API-Key: ${variables.PARTNER_API_KEY}`]);
  if (environment.kafka) rows.push(['Kafka', environment.kafka.bootstrapServers, 'no authentication']);
  if (environment.postgres) rows.push(['PostgreSQL', `127.0.0.1:${environment.postgres.port}`, variables.DATABASE_URL ?? '']);
  const width = (column: 0 | 1) => Math.max(...rows.map((row) => row[column].length), 7);
  const line = (cells: [string, string, string]) => `  ${cells[0].padEnd(width(0))}  ${cells[1].padEnd(width(1))}  ${cells[2]}`;

  const docs = [crm, erp, partner].filter((server) => server !== undefined).map((server) => `  ${server.system.title.padEnd(24)} ${server.url}/docs/`);
  return [
    labTitle ? `Environment of lab ${labTitle} is running (seed ${environment.seed}).` : `Integration Lab environment is running (seed ${environment.seed}).`,
    '',
    line(['Service', 'Address', 'Credentials']),
    ...rows.map(line),
    '',
    'API docs (try requests in the browser):',
    ...docs,
    '',
    `Environment variables your code gets${envFilePath ? ` (also written to ${envFilePath})` : ''}:`,
    ...Object.entries(variables).map(([name, value]) => `  export ${name}=${shellQuote(value)}`),
    '',
    'Admin API of each system (request journal, faults, reset): <url>/__admin',
    `  with header  Authorization: Bearer ${environment.adminToken}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function envFile(environment: EmbeddedEnvironment): string {
  const lines = Object.entries(environment.variables).map(([name, value]) => `# ${SUBMISSION_VARIABLES[name as keyof typeof SUBMISSION_VARIABLES]}\n${name}=${value}`);
  return `${lines.join('\n')}\n`;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
