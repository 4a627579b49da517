// The customer/order profile red-flag rules read. Everything is optional: a rule whose facts are
// unknown does not fire (except where the absence itself is the flag, e.g. no stated end use).
import { z } from 'zod';
import { isCalendarDate } from '../../calendar.js';

const cc = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'use an ISO 3166 alpha-2 code')
  .transform((s) => s.toUpperCase());
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

/** An owner of the customer (or of an owner): share in percent of what it owns; absent = unknown. */
export interface OwnerInput {
  name: string;
  country?: string;
  share?: number;
  owners?: OwnerInput[];
}

/** How deep owner chains may nest, and how many owners a profile may name in all. */
export const MAX_OWNER_DEPTH = 10;
export const MAX_OWNERS = 200;

const ownerSchema: z.ZodType<OwnerInput, z.ZodTypeDef, unknown> = z.lazy(() =>
  z
    .object({
      name: z.string().trim().min(1).max(500),
      country: cc.optional(),
      share: z.number().min(0, 'share is a percentage (0..100)').max(100, 'share is a percentage (0..100)').optional(),
      owners: z.array(ownerSchema).max(50).optional(),
    })
    .strict(),
);

/** Each level's known shares add up to at most 100%; chains nest at most MAX_OWNER_DEPTH deep. */
function checkOwners(owners: OwnerInput[] | undefined, path: (string | number)[], ctx: z.RefinementCtx): number {
  if (!owners) return 0;
  if (path.length / 2 > MAX_OWNER_DEPTH) {
    ctx.addIssue({ code: 'custom', path, message: `owner chains nest at most ${MAX_OWNER_DEPTH} levels deep` });
    return 0;
  }
  const sum = owners.reduce((t, o) => t + (o.share ?? 0), 0);
  if (sum > 100 + 1e-6)
    ctx.addIssue({ code: 'custom', path, message: `the known shares add up to ${sum}% (at most 100%)` });
  let n = owners.length;
  owners.forEach((o, i) => {
    n += checkOwners(o.owners, [...path, i, 'owners'], ctx);
  });
  return n;
}

export const profileSchema = z
  .object({
    customer: z
      .object({
        name: z.string().trim().min(1).max(500),
        country: cc.optional(),
        address: z.string().max(1000).optional(),
        addressType: z.enum(['commercial', 'residential', 'virtual-office', 'unknown']).optional(),
        headquartersCountry: cc.optional(),
        businessType: z
          .enum(['end-user', 'cloud-provider', 'reseller', 'distributor', 'freight-forwarder', 'other'])
          .optional(),
        authorisedDistributor: z.boolean().optional(),
        webPresence: z.enum(['established', 'minimal', 'none']).optional(),
        yearsInBusiness: z.number().min(0).max(500).optional(),
        isFirstOrder: z.boolean().optional(),
        firstAdvancedOrderDate: isoDate.optional(),
        beneficialOwners: z
          .array(z.object({ name: z.string().trim().min(1).max(500), country: cc.optional() }))
          .max(50)
          .optional(),
        owners: z.array(ownerSchema).max(50).optional(),
      })
      .strict()
      .superRefine((c, ctx) => {
        const n = checkOwners(c.owners, ['owners'], ctx);
        if (n > MAX_OWNERS)
          ctx.addIssue({ code: 'custom', path: ['owners'], message: `at most ${MAX_OWNERS} owners in all (${n})` });
      }),
    order: z
      .object({
        ref: z.string().max(200).optional(),
        item: z.string().max(200).optional(),
        quantity: z.number().int().min(0).max(10_000_000).optional(),
        shipToCountry: cc.optional(),
        route: z.array(cc).max(20).optional(),
        consigneeName: z.string().max(500).optional(),
        consigneeType: z.enum(['end-user', 'freight-forwarder', 'reseller', 'other']).optional(),
        payerName: z.string().max(500).optional(),
        payerIsThirdParty: z.boolean().optional(),
        paymentMethod: z.enum(['wire', 'letter-of-credit', 'card', 'cash', 'crypto', 'other']).optional(),
        endUse: z.string().max(2000).optional(),
        endUseEvasive: z.boolean().optional(),
        endUseFitsBusiness: z.boolean().optional(),
        declinesInstallation: z.boolean().optional(),
        deliveryVague: z.boolean().optional(),
        packagingInconsistent: z.boolean().optional(),
      })
      .strict()
      .default({}),
    dataCenter: z
      .object({
        name: z.string().max(500).optional(),
        powerConfirmed: z.boolean().optional(),
        capacityConfirmed: z.boolean().optional(),
        powerMw: z.number().min(0).max(100_000).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
