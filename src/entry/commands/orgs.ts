import { parseArgs } from 'node:util';
import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { ROLES, type Role } from '../../domain/access.js';
import { AuthError, KeysRepository } from '../../storage/keys.repository.js';
import { openStorage } from '../../storage/open.js';

const ORGS_USAGE = 'usage: skills-radar orgs create <name> | orgs list';
const KEYS_USAGE = `usage: skills-radar keys create --org <name> --role ${ROLES.join('|')} [--label TEXT] | keys list [--org <name>] | keys revoke <prefix>`;

/** `skills-radar orgs …` and `skills-radar keys …`: organisations and their API keys, straight in the database. */
export async function orgsCommand(
  config: Config,
  log: Logger,
  command: 'orgs' | 'keys',
  args: string[],
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { org: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } },
    });
  } catch (err) {
    process.stderr.write(`${command}: ${(err as Error).message}\n${command === 'orgs' ? ORGS_USAGE : KEYS_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...names] = positionals;
  const usage = () => {
    process.stderr.write(`${command === 'orgs' ? ORGS_USAGE : KEYS_USAGE}\n`);
    return 2;
  };
  const db = await openStorage(config, log);
  const keys = new KeysRepository(db, 0);
  try {
    if (command === 'orgs' && action === 'create' && names.length === 1) {
      const org = await keys.createOrganisation(names[0]!);
      process.stdout.write(
        `Created organisation ${org.name}. Give it a key: skills-radar keys create --org ${JSON.stringify(org.name)} --role contributor\n`,
      );
      return 0;
    }
    if (command === 'orgs' && action === 'list' && names.length === 0) {
      for (const o of await keys.organisations())
        process.stdout.write(`${o.name}\t${o.keys} key(s)\tsince ${o.createdAt.toISOString().slice(0, 10)}\n`);
      return 0;
    }
    if (command === 'keys' && action === 'create' && names.length === 0) {
      if (!values.org || !values.role) return usage();
      const { key, info } = await keys.createKey(values.org, values.role as Role, values.label);
      process.stdout.write(`${key}\n`);
      process.stderr.write(
        `A ${info.role} key of ${info.org} (prefix ${info.prefix}). It is shown only now; keep it secret. Send it as: Authorization: Bearer <key>\n`,
      );
      return 0;
    }
    if (command === 'keys' && action === 'list' && names.length === 0) {
      for (const k of await keys.keys(values.org)) {
        process.stdout.write(
          `${k.prefix}\t${k.org}\t${k.role}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'in force'}\t${k.label ?? ''}\n`,
        );
      }
      return 0;
    }
    if (command === 'keys' && action === 'revoke' && names.length === 1) {
      const prefix = names[0]!.replace(/^sdr_/, '').slice(0, 12);
      if (!(await keys.revoke(prefix))) {
        process.stderr.write(`keys revoke: no key in force with prefix ${prefix}\n`);
        return 1;
      }
      process.stdout.write(
        `Revoked key ${prefix}; running services stop accepting it within AUTH_CACHE_MS (${config.AUTH_CACHE_MS} ms).\n`,
      );
      return 0;
    }
    return usage();
  } catch (err) {
    if (err instanceof AuthError) {
      process.stderr.write(`${command}: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}
