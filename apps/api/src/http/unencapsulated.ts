// A Fastify plugin whose hooks and decorations apply to the context it is
// registered in (not to a child context of its own): Fastify's documented
// `skip-override` mark, which the fastify-plugin package sets the same way.
import type { FastifyPluginAsync, FastifyPluginOptions } from 'fastify';

/** `plugin`, marked so that `register` runs it in the registering context (no encapsulation). */
export const unencapsulated = <Options extends FastifyPluginOptions>(
  plugin: FastifyPluginAsync<Options>,
): FastifyPluginAsync<Options> => Object.assign(plugin, { [Symbol.for('skip-override')]: true });
