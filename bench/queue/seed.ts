import { randomUUID } from "node:crypto";
import type { Deps, Role, StaffActor } from "../../api/context";
import { eventHash } from "../../api/crypto/event-chain";
import { cheapestLimits, hashPassword } from "../../api/crypto/password";
import { sealJson } from "../../api/crypto/seal";
import { sodiumSync } from "../../api/crypto/sodium";
import { addWorkingDays, shanghaiDate } from "../../api/domain/clock";
import { caseClocks, caseEvents, cases, sealedIdentities, staff } from "../../db/schema/index";
import { realNameReport } from "../../test/helpers/reports";

/** Staff members of one office (rows in `staff`, as the console would have them), as verb actors. */
export async function seedStaff(deps: Deps, office: string, n: number, roles: Role[]): Promise<StaffActor[]> {
  const hash = hashPassword("bench-password-0123456789", cheapestLimits());
  const rows = await deps.db
    .insert(staff)
    .values(
      Array.from({ length: n }, (_, i) => ({
        username: `bench.${office}.${String(i + 1).padStart(2, "0")}`,
        displayName: `bench ${i + 1}`,
        officeCode: office,
        roles,
        passwordHash: hash,
      })),
    )
    .returning({ id: staff.id, username: staff.username });
  return rows.map((r) => ({ kind: "staff", id: r.id, username: r.username, officeCode: office, roles }));
}

/**
 * `n` real-name cases in `office`'s intake queue, written as intake writes them (sanitized case,
 * sealed identity, hash-chained `received` event, the 15-working-day accept_notice clock and
 * next_due_on), in bulk: seeding is not what is measured.
 */
export async function seedCases(deps: Deps, office: string, n: number, tag: string): Promise<void> {
  const report = realNameReport();
  const chunk = 500;
  const base = Date.now() - n;
  for (let from = 0; from < n; from += chunk) {
    const size = Math.min(chunk, n - from);
    const caseRows: (typeof cases.$inferInsert)[] = [];
    const sealedRows: (typeof sealedIdentities.$inferInsert)[] = [];
    const eventRows: (typeof caseEvents.$inferInsert)[] = [];
    const clockRows: (typeof caseClocks.$inferInsert)[] = [];
    for (let i = from; i < from + size; i++) {
      const id = randomUUID();
      const receivedAt = new Date(base + i);
      const startedOn = shanghaiDate(receivedAt);
      const dueOn = addWorkingDays(startedOn, 15);
      const title = `反映李四收受工程款回扣问题（〔已隐去〕实名）（${tag}-${i}）`;
      caseRows.push({
        id,
        type: "accusation",
        category: "integrity",
        realName: true,
        title,
        body: "我叫〔已隐去〕，身份证号〔已隐去〕，手机〔已隐去〕，邮箱〔已隐去〕。李四在2025年修路工程中收受承包商回扣。",
        subjectName: "李四",
        subjectUnit: "望城区交通运输局",
        subjectPosition: "局长",
        subjectLevel: "county",
        subjectDivisionCode: office,
        routedOfficeCode: office,
        officeCode: office,
        trackingHash: sodiumSync().randombytes_buf(32),
        nextDueOn: dueOn,
        receivedAt,
        updatedAt: receivedAt,
      });
      sealedRows.push({
        caseId: id,
        sealed: sealJson(deps.keys.vaultPublicKey, {
          reporter: report.reporter,
          title: report.title,
          body: report.body,
        }),
      });
      const data = { routedTo: office, managementLevel: "county" };
      const fields = {
        caseId: id,
        seq: 1,
        at: receivedAt.toISOString(),
        kind: "received" as const,
        actor: "system:intake",
        officeCode: office,
        isPublic: true,
        data,
      };
      eventRows.push({ ...fields, at: receivedAt, prevHash: null, hash: eventHash(null, fields) });
      clockRows.push({ caseId: id, rule: "accept_notice", officeCode: office, startedOn, dueOn });
    }
    await deps.db.transaction(async (tx) => {
      await tx.insert(cases).values(caseRows);
      await tx.insert(sealedIdentities).values(sealedRows);
      await tx.insert(caseEvents).values(eventRows);
      await tx.insert(caseClocks).values(clockRows);
    });
  }
}
