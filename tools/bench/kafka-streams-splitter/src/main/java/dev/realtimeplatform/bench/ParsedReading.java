package dev.realtimeplatform.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One {@code device_data} value, parsed with Jackson's streaming parser and validated like the
 * health domain's {@code validateReading}: nine required fields, no coercion (ints are integers,
 * doubles finite numbers), plausibility ranges, systolic above diastolic. Unknown fields are
 * ignored. Either valid (the fields) or not (the reason and the raw bytes, for the DLQ).
 */
record ParsedReading(
    String deviceId,
    long timestamp,
    int heartRate,
    int systolic,
    int diastolic,
    int oxygenSaturation,
    double bodyTemperature,
    double latitude,
    double longitude,
    String error,
    byte[] raw) {

  private static final JsonFactory JSON = new JsonFactory();

  boolean valid() {
    return error == null;
  }

  /** The value of an input field by name (the SELECT lists map output fields to these). */
  Object field(String name) {
    return switch (name) {
      case "deviceId" -> deviceId;
      case "timestamp" -> timestamp;
      case "heartRate" -> heartRate;
      case "systolic" -> systolic;
      case "diastolic" -> diastolic;
      case "oxygenSaturation" -> oxygenSaturation;
      case "bodyTemperature" -> bodyTemperature;
      case "latitude" -> latitude;
      case "longitude" -> longitude;
      default -> throw new IllegalArgumentException("no input field " + name);
    };
  }

  private static ParsedReading invalid(String reason, byte[] raw) {
    return new ParsedReading(null, 0, 0, 0, 0, 0, 0, 0, 0, reason, raw);
  }

  static ParsedReading parse(byte[] bytes, ReadingRules rules) {
    if (bytes == null) return invalid("not-an-object", bytes);
    String deviceId = null;
    long timestamp = 0;
    int heartRate = 0, systolic = 0, diastolic = 0, oxygen = 0;
    double temperature = 0, latitude = 0, longitude = 0;
    int seen = 0;
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) return invalid("not-an-object", bytes);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (name) {
          case "deviceId" -> {
            if (token != JsonToken.VALUE_STRING) return invalid("deviceId: not-a-string", bytes);
            deviceId = parser.getText();
            if (deviceId.isBlank()) return invalid("deviceId: empty", bytes);
            if (deviceId.length() > rules.deviceIdMaxLength) return invalid("deviceId: too-long", bytes);
            seen |= 1;
          }
          case "timestamp" -> {
            timestamp = (long) integral(parser, token, name, rules);
            seen |= 2;
          }
          case "heartRate" -> {
            heartRate = (int) integral(parser, token, name, rules);
            seen |= 4;
          }
          case "systolic" -> {
            systolic = (int) integral(parser, token, name, rules);
            seen |= 8;
          }
          case "diastolic" -> {
            diastolic = (int) integral(parser, token, name, rules);
            seen |= 16;
          }
          case "oxygenSaturation" -> {
            oxygen = (int) integral(parser, token, name, rules);
            seen |= 32;
          }
          case "bodyTemperature" -> {
            temperature = floating(parser, token, name, rules);
            seen |= 64;
          }
          case "latitude" -> {
            latitude = floating(parser, token, name, rules);
            seen |= 128;
          }
          case "longitude" -> {
            longitude = floating(parser, token, name, rules);
            seen |= 256;
          }
          default -> parser.skipChildren();
        }
      }
    } catch (InvalidField e) {
      return invalid(e.getMessage(), bytes);
    } catch (Exception e) {
      return invalid("malformed-json: " + e.getMessage(), bytes);
    }
    if (seen != 511) return invalid("missing", bytes);
    if (systolic <= diastolic) return invalid("systolic-not-above-diastolic", bytes);
    return new ParsedReading(
        deviceId, timestamp, heartRate, systolic, diastolic, oxygen, temperature, latitude, longitude, null, null);
  }

  private static long integral(JsonParser parser, JsonToken token, String name, ReadingRules rules)
      throws java.io.IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) throw new InvalidField(name + ": not-an-integer");
    long value = parser.getLongValue();
    if (!rules.inRange(name, value)) throw new InvalidField(name + ": out-of-range");
    return value;
  }

  private static double floating(JsonParser parser, JsonToken token, String name, ReadingRules rules)
      throws java.io.IOException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new InvalidField(name + ": not-a-finite-number");
    }
    double value = parser.getDoubleValue();
    if (!Double.isFinite(value)) throw new InvalidField(name + ": not-a-finite-number");
    if (!rules.inRange(name, value)) throw new InvalidField(name + ": out-of-range");
    return value;
  }

  private static final class InvalidField extends RuntimeException {
    InvalidField(String reason) {
      super(reason, null, false, false);
    }
  }
}
