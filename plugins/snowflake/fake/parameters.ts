/** The session parameters Snowflake returns with a login and with every result (defaults). */
export const PARAMETERS = [
  { name: "TIMEZONE", value: "America/Los_Angeles" },
  { name: "TIMESTAMP_OUTPUT_FORMAT", value: "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM" },
  { name: "TIMESTAMP_NTZ_OUTPUT_FORMAT", value: "YYYY-MM-DD HH24:MI:SS.FF3" },
  { name: "TIMESTAMP_LTZ_OUTPUT_FORMAT", value: "" },
  { name: "TIMESTAMP_TZ_OUTPUT_FORMAT", value: "" },
  { name: "DATE_OUTPUT_FORMAT", value: "YYYY-MM-DD" },
  { name: "TIME_OUTPUT_FORMAT", value: "HH24:MI:SS" },
  { name: "BINARY_OUTPUT_FORMAT", value: "HEX" },
  { name: "CLIENT_PREFETCH_THREADS", value: 4 },
  { name: "CLIENT_RESULT_CHUNK_SIZE", value: 160 },
  { name: "CLIENT_SESSION_KEEP_ALIVE", value: false },
  { name: "CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY", value: 3600 },
  { name: "CLIENT_TIMESTAMP_TYPE_MAPPING", value: "TIMESTAMP_LTZ" },
  { name: "JS_TREAT_INTEGER_AS_BIGINT", value: false },
  { name: "QUERY_CONTEXT_CACHE_SIZE", value: 5 },
  { name: "STATEMENT_TIMEOUT_IN_SECONDS", value: 172800 },
];
