/** What the program needs from its environment; nothing else is read. */
export interface Config {
  kafkaBrokers: string[];
  erp: { url: string; clientId: string; clientSecret: string };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const missing = ['KAFKA_BROKERS', 'ERP_URL', 'ERP_CLIENT_ID', 'ERP_CLIENT_SECRET'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`missing environment variables: ${missing.join(', ')} (lab start prints them)`);
  }
  return {
    kafkaBrokers: env.KAFKA_BROKERS!.split(',').map((broker) => broker.trim()).filter(Boolean),
    erp: { url: env.ERP_URL!, clientId: env.ERP_CLIENT_ID!, clientSecret: env.ERP_CLIENT_SECRET! },
  };
}
