import type { Lab } from '../labs/catalogue.ts';
import type { ProjectPackage } from './pack-lab.ts';

/** What a candidate's machine installs: the project's runtime packages, and vitest for the starter's tests. */
const CANDIDATE_DEV_TOOLS = ['vitest', '@types/node'];

export function bundlePackageJson(lab: Lab, project: ProjectPackage) {
  const tools = Object.fromEntries(CANDIDATE_DEV_TOOLS.filter((name) => project.devDependencies[name]).map((name) => [name, project.devDependencies[name]!]));
  return {
    name: `integration-lab-${lab.id}`,
    version: project.version,
    description: `Take-home: ${lab.manifest.title}. The brief is labs/${lab.id}/README.md; your work goes in work/.`,
    private: true,
    type: 'module',
    ...(project.engines ? { engines: project.engines } : {}),
    scripts: {
      start: `node bin/lab.js start ${lab.id}`,
      check: `node bin/lab.js check ${lab.id} work`,
      test: 'vitest run work',
      lab: 'node bin/lab.js',
    },
    // The generated clients are a package of their own (@integration-lab/clients), linked by npm.
    workspaces: project.workspaces ?? [],
    dependencies: { ...project.dependencies, ...tools },
    ...(project.allowScripts ? { allowScripts: project.allowScripts } : {}),
  };
}

export function bundleReadme(lab: Lab): string {
  const { manifest } = lab;
  return `# ${manifest.title} — take-home

${manifest.summary}

You need Node.js ${'20.19'} or newer on Linux or macOS; nothing else (no Docker, no database to
install). About ${manifest.estimatedMinutes} minutes.

\`\`\`sh
npm install          # once: the services, the grader's public checks, the typed clients, vitest
npm test             # your unit tests in work/ (the starter ships an example)
npm start            # the lab's services with its data and faults; prints the variables; Ctrl-C stops
npm run check        # the public checks on work/, with a hint for each failed one
\`\`\`

- **The brief** is [labs/${lab.id}/README.md](labs/${lab.id}/README.md): the context, the tasks and
  what will be checked. The systems' own pages are in [docs/](docs/).
- **Your work** goes in \`work/\`, which starts as a copy of the starter. Keep it there: \`npm run
  check\` and \`npm test\` look there.
- Every other command takes the same arguments as in the brief: \`npm run lab -- <command>\`,
  e.g. \`npm run lab -- start ${lab.id} --ephemeral-ports\` when the default ports are taken.
- \`npm run check\` exits 0 when every public check passes, 1 when points are lost, 2 on a
  usage error, 3 when the environment did not start.
- The grade you get comes from more checks than the public ones: everything the brief asks
  for counts, not only what \`npm run check\` shows.

When you are done, send back the \`work/\` folder (without \`node_modules\`).
`;
}

/** Put above the brief in the bundle, where `npx lab …` lines of the repository do not apply. */
export function briefNote(lab: Lab): string {
  return `> **In this take-home bundle:** your work is in \`work/\`. \`npm start\` starts the services,
> \`npm run check\` runs the public checks on \`work/\`, \`npm test\` your unit tests. Where this
> brief shows \`lab <command>\` or \`npx lab <command>\`, run \`npm run lab -- <command>\` here
> (e.g. \`npm run lab -- show ${lab.id}\`).

`;
}
