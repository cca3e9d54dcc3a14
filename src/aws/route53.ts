/** Amazon Route 53: hosted zones, domain names and record limits. */

// Route 53 API: hosted zone IDs are "Z" followed by up to 31 upper-case letters and digits.
export const ZONE_ID = /^Z[0-9A-Z]{1,31}$/;

// RFC 1035 / Route 53 DNS domain name format: labels of letters, digits, hyphens (and "*" as the leftmost label), up to 255 characters.
export const DOMAIN_NAME = /^(?:\*\.)?(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/;
export const DOMAIN_NAME_MAX_LENGTH = 255;

/** Whether a record name lies inside (or at the apex of) a zone. */
export function isInsideZone(record: string, zone: string): boolean {
  const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');
  return normalize(record) === normalize(zone) || normalize(record).endsWith(`.${normalize(zone)}`);
}

// Route 53 WeightedRoutingPolicy, Weight: 0–255.
export const WEIGHT = { min: 0, max: 255 } as const;

// Route 53 ResourceRecordSet, SetIdentifier: 1–128 characters, required for weighted records.
export const SET_IDENTIFIER_LENGTH = { min: 1, max: 128 } as const;
