import { basename } from 'node:path';
import type { Command } from 'commander';
import { AUDIT_HASH_ALGORITHM, type VerifyResult, writeAudit } from '../lib/audit.ts';
import { anchorFile, recordAuditAnchor, retireAnchors, verifyAuditAnchored } from '../lib/audit-anchors.ts';
import type { OpenCli } from './open.ts';

/** What `gridgov audit verify` prints: lines for standard output when intact, else for standard error. */
export function describeVerification(result: VerifyResult, file: string): string[] {
  const latest = result.anchors.latest;
  const anchors = latest
    ? `${result.anchors.checked} anchors match; the newest, from ${latest.at}, recorded id ${latest.id} (${file}).`
    : `No anchors in ${file}: a removal of the newest rows would not be detected.`;
  if (result.ok) {
    return [`Audit chain intact: ${result.checked} rows checked (${AUDIT_HASH_ALGORITHM}).`, anchors];
  }
  const broken = result.firstBroken;
  const lines = [`Audit chain BROKEN at row ${broken?.id}: ${broken?.reason}.`];
  if (broken?.kind === 'link' || broken?.kind === 'content') {
    lines.push(`${result.checked} rows before it are intact.`);
  } else {
    lines.push(
      `${result.checked} rows checked. If this database was restored from a backup, the anchors describe ` +
        'the chain before the restore: check, then `gridgov audit retire-anchors` on this node.',
    );
  }
  return lines;
}

export function registerAuditCommands(program: Command, open: OpenCli): void {
  const audit = program.command('audit').description('the audit log');

  audit
    .command('verify')
    .description(
      "check the hash chain of the audit log against this node's anchors; exits with 1 when a row was altered or removed",
    )
    .action(async () => {
      const { handle, config, close } = await open({ mustExist: true });
      try {
        const result = await verifyAuditAnchored(handle.db, config.dataDir);
        const lines = describeVerification(result, anchorFile(config.dataDir));
        for (const line of lines) (result.ok ? console.log : console.error)(line);
        if (!result.ok) process.exitCode = 1;
      } finally {
        await close();
      }
    });

  audit
    .command('anchor')
    .description(
      "record the head of the audit chain in this node's anchor file now (the server does it every 10 minutes)",
    )
    .action(async () => {
      const { ctx, close } = await open({ mustExist: true });
      try {
        const outcome = await recordAuditAnchor(ctx);
        const file = anchorFile(ctx.config.dataDir);
        if (outcome.status === 'diverged') {
          console.error(`Not anchored: ${outcome.reason}. Run \`gridgov audit verify\`.`);
          process.exitCode = 1;
        } else if (outcome.status === 'empty') {
          console.log('The audit log is empty: nothing to anchor.');
        } else if (outcome.status === 'unchanged') {
          console.log(`The head (id ${outcome.anchor.id}) is already anchored in ${file}.`);
        } else {
          console.log(`Anchored id ${outcome.anchor.id} in ${file}.`);
        }
      } finally {
        await close();
      }
    });

  audit
    .command('retire-anchors')
    .description(
      "move this node's anchor file aside, e.g. on every node after a restore; the next anchor starts a new file",
    )
    .action(async () => {
      const { ctx, close } = await open({ mustExist: true });
      try {
        const retired = await retireAnchors(ctx.config.dataDir, ctx.clock.now());
        await writeAudit(ctx.db, ctx, {
          action: 'audit.anchors.retire',
          objectType: 'audit',
          detail: { retired: retired ? basename(retired) : null },
        });
        console.log(retired ? `Anchors moved to ${retired}.` : 'No anchor file on this node.');
      } finally {
        await close();
      }
    });
}
