package dev.realtimeplatform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** The health domain's plausibility ranges (inclusive), from the benchmark's config file. */
final class ReadingRules {
  final int deviceIdMaxLength;
  private final Map<String, double[]> ranges;

  private ReadingRules(int deviceIdMaxLength, Map<String, double[]> ranges) {
    this.deviceIdMaxLength = deviceIdMaxLength;
    this.ranges = ranges;
  }

  static ReadingRules fromJson(JsonNode json) {
    Map<String, double[]> ranges = new HashMap<>();
    json.get("fields")
        .fields()
        .forEachRemaining(
            e -> ranges.put(e.getKey(), new double[] {e.getValue().get("min").asDouble(), e.getValue().get("max").asDouble()}));
    return new ReadingRules(json.get("deviceIdMaxLength").asInt(), ranges);
  }

  boolean inRange(String field, double value) {
    double[] range = ranges.get(field);
    return range == null || (value >= range[0] && value <= range[1]);
  }
}
