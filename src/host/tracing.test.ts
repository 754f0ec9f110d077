import { describe, expect, it } from "vitest";
import { tracingRequested } from "./tracing.ts";
import { batchOptions, samplerFrom } from "./tracing-sdk.ts";

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" };

describe("tracingRequested", () => {
  it("is off without an endpoint, when the SDK is disabled, or with exporter none", () => {
    expect(tracingRequested({})).toBeUndefined();
    expect(tracingRequested({ ...endpoint, OTEL_SDK_DISABLED: "TRUE" })).toBeUndefined();
    expect(tracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: "none" })).toBeUndefined();
  });

  it("takes either endpoint variable; the protocol defaults to http/protobuf, the traces one wins", () => {
    expect(tracingRequested(endpoint)).toBe("http/protobuf");
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://x/v1/traces" })).toBe("http/protobuf");
    expect(
      tracingRequested({
        ...endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
      }),
    ).toBe("http/json");
  });

  it("refuses what it cannot do, naming the variable and the fix", () => {
    expect(() => tracingRequested({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not supported/,
    );
    expect(() => tracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});

describe("batchOptions", () => {
  it("reads OTEL_BSP_* and refuses a value that is not a positive whole number", () => {
    expect(batchOptions({})).toEqual({});
    expect(batchOptions({ OTEL_BSP_SCHEDULE_DELAY: "500", OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "64" })).toEqual({
      scheduledDelayMillis: 500,
      maxExportBatchSize: 64,
    });
    expect(() => batchOptions({ OTEL_BSP_MAX_QUEUE_SIZE: "-1" })).toThrow(/OTEL_BSP_MAX_QUEUE_SIZE="-1"/);
  });
});

describe("samplerFrom", () => {
  it("reads OTEL_TRACES_SAMPLER and its ratio as the specification defines them", () => {
    expect(samplerFrom({}).toString()).toMatch(/ParentBased\{root=AlwaysOnSampler/);
    expect(samplerFrom({ OTEL_TRACES_SAMPLER: "always_off" }).toString()).toBe("AlwaysOffSampler");
    expect(
      samplerFrom({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" }).toString(),
    ).toMatch(/TraceIdRatioBased\{0.25\}/);
    expect(() => samplerFrom({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(
      /not a ratio/,
    );
    expect(() => samplerFrom({ OTEL_TRACES_SAMPLER: "jaeger_remote" })).toThrow(/not supported/);
  });
});
