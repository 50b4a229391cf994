package dev.realtimeplatform.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * One vital topic's value: a GenericRecord filled by the SELECT list (output field → input field),
 * written as Confluent's KafkaAvroSerializer writes it: magic byte 0, the schema id as a 4-byte
 * big-endian int, the Avro binary body. Buffers are per thread (stream threads share the topology).
 */
final class VitalEncoder {
  private final String topic;
  private final Schema schema;
  private final int schemaId;
  private final List<String[]> select;
  private final GenericDatumWriter<GenericRecord> writer;
  private final ThreadLocal<State> state = ThreadLocal.withInitial(State::new);

  private static final class State {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder;
  }

  VitalEncoder(String topic, Schema schema, int schemaId, Map<String, String> select) {
    this.topic = topic;
    this.schema = schema;
    this.schemaId = schemaId;
    this.select = select.entrySet().stream().map(e -> new String[] {e.getKey(), e.getValue()}).toList();
    this.writer = new GenericDatumWriter<>(schema);
  }

  String topic() {
    return topic;
  }

  byte[] encode(ParsedReading reading) {
    GenericRecord record = new GenericData.Record(schema);
    for (String[] field : select) record.put(field[0], reading.field(field[1]));
    State s = state.get();
    s.out.reset();
    s.out.write(0);
    s.out.write(schemaId >>> 24);
    s.out.write(schemaId >>> 16);
    s.out.write(schemaId >>> 8);
    s.out.write(schemaId);
    s.encoder = EncoderFactory.get().directBinaryEncoder(s.out, s.encoder);
    try {
      writer.write(record, s.encoder);
      s.encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.out.toByteArray();
  }
}
