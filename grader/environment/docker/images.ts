import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** docker/images.env: the one place image names and tags are set. */
export const IMAGES_FILE = fileURLToPath(new URL('../../../docker/images.env', import.meta.url));

export type ImageVariable =
  | 'LAB_IMAGE_BASE'
  | 'LAB_IMAGE_NODE'
  | 'LAB_IMAGE_MOCK_SYSTEMS'
  | 'LAB_IMAGE_POSTGRES'
  | 'LAB_IMAGE_KAFKA'
  | 'LAB_IMAGE_SUBMISSION';

/** The defaults of images.env, without the environment's overrides. */
export function defaultImages(): Record<ImageVariable, string> {
  const images: Partial<Record<ImageVariable, string>> = {};
  for (const line of readFileSync(IMAGES_FILE, 'utf8').split('\n')) {
    const match = /^(LAB_IMAGE_[A-Z_]+)=(\S+)\s*$/.exec(line);
    if (match) images[match[1] as ImageVariable] = match[2];
  }
  return images as Record<ImageVariable, string>;
}

/** The image of each service: the environment's variable when set, else images.env's default. */
export function dockerImages(environment: NodeJS.ProcessEnv = process.env): Record<ImageVariable, string> {
  const images = defaultImages();
  for (const name of Object.keys(images) as ImageVariable[]) {
    const override = environment[name]?.trim();
    if (override) images[name] = override;
  }
  return images;
}
