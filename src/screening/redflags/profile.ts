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
      })
      .strict(),
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
