/** CloudWatch Logs. */

// CloudWatch Logs PutRetentionPolicy: the only retention periods it accepts (0, "never expire", is left out on purpose).
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

// CloudWatch Logs CreateLogGroup, logGroupName: 1–512 of [.-_/#A-Za-z0-9].
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
