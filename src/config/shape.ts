// A plain description of the schema's structure, derived once from the zod
// schema, so normalisation (aliases, coercion) and the cmdline parser follow
// the same source of truth instead of a second hand-written key list.
import type { z } from 'zod';
import { configSchema } from './schema.ts';

export type Shape =
  | { kind: 'object'; fields: Record<string, Shape> }
  | { kind: 'record'; value: Shape }
  | { kind: 'array'; item: Shape }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'number' };

interface Def { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType }

export const shapeOf = (schema: z.ZodType): Shape => {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return shapeOf(def.innerType!);
    case 'object': {
      const fields: Record<string, Shape> = {};
      for (const [k, v] of Object.entries(def.shape!)) fields[k] = shapeOf(v);
      return { kind: 'object', fields };
    }
    case 'record':
      return { kind: 'record', value: shapeOf(def.valueType!) };
    case 'array':
      return { kind: 'array', item: shapeOf(def.element!) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'number':
      return { kind: 'number' };
    case 'string':
    case 'enum':
      return { kind: 'string' };
    default:
      throw new Error(`config shape: unsupported zod type ${def.type}`);
  }
};

export const configShape: Shape = shapeOf(configSchema);
