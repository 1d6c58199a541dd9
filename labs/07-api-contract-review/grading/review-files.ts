/** The files of a submission, as the brief names them, and the handout they refer to. */
export const FINDINGS_FILE = 'findings.yaml';
export const CORRECTED_FILE = 'openapi.yaml';
/** The contract as the partner sent it; a finding's pointer points into this file. */
export const HANDOUT_FILE = 'handout/returns-api.yaml';
