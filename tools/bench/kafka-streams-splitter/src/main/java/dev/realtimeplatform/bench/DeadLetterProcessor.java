package dev.realtimeplatform.bench;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** An invalid reading to the DLQ: the original bytes, the reason in an {@code rtp.dlq.reason} header. */
final class DeadLetterProcessor implements FixedKeyProcessor<String, ParsedReading, byte[]> {
  private FixedKeyProcessorContext<String, byte[]> context;

  @Override
  public void init(FixedKeyProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, ParsedReading> record) {
    ParsedReading reading = record.value();
    FixedKeyRecord<String, byte[]> out = record.withValue(reading.raw());
    out.headers().add("rtp.dlq.reason", reading.error().getBytes(StandardCharsets.UTF_8));
    context.forward(out);
  }
}
