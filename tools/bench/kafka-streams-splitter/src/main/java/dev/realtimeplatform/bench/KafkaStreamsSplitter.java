package dev.realtimeplatform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The Kafka Streams baseline of the splitter benchmark. One topology: {@code device_data} (String
 * key, JSON {@code HealthData} value) → parse and validate → key = deviceId → four {@code mapValues →
 * to} branches, one per vital topic, Avro values in the Confluent wire format. Invalid readings go
 * to {@code <input>.dlq} unchanged (the reason in a header).
 *
 * <p>What the split does (schemas, SELECT lists as output-field → input-field maps, plausibility
 * ranges) comes from a JSON file the benchmark writes from {@code @realtime-platform/health-domain},
 * so both splitters do exactly the same work.
 *
 * <p>Arguments: {@code --bootstrap host:port --registry url --config split.json --application-id id
 * [--client-config client.properties] [--input device_data] [--output-prefix prefix] [--threads 1]
 * [--state-dir dir]}.
 */
public final class KafkaStreamsSplitter {
  private KafkaStreamsSplitter() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parseArgs(args);
    String bootstrap = required(options, "bootstrap");
    String registryUrl = required(options, "registry");
    String input = options.getOrDefault("input", "device_data");
    String prefix = options.getOrDefault("output-prefix", "");
    int threads = Integer.parseInt(options.getOrDefault("threads", "1"));

    // Client settings such as the SASL login, from a file so no password is on the command line;
    // `basic.auth.user.info` (user:password, as Confluent clients name it) is the registry's login.
    Properties properties = new Properties();
    if (options.containsKey("client-config")) {
      try (var reader = Files.newBufferedReader(Path.of(options.get("client-config")))) {
        properties.load(reader);
      }
    }
    Object registryLogin = properties.remove("basic.auth.user.info");

    JsonNode config = new ObjectMapper().readTree(Files.readString(Path.of(required(options, "config"))));
    ReadingRules rules = ReadingRules.fromJson(config.get("ranges"));
    SchemaRegistry registry =
        new SchemaRegistry(registryUrl, registryLogin == null ? null : registryLogin.toString());
    List<VitalEncoder> encoders = new ArrayList<>();
    for (JsonNode vital : config.get("vitals")) {
      String topic = prefix + vital.get("topic").asText();
      Schema schema = new Schema.Parser().parse(vital.get("schema").toString());
      int id = registry.register(topic + "-value", schema.toString());
      registry.setCompatibility(topic + "-value", "BACKWARD");
      Map<String, String> select = new LinkedHashMap<>();
      vital.get("select").fields().forEachRemaining(e -> select.put(e.getKey(), e.getValue().asText()));
      encoders.add(new VitalEncoder(topic, schema, id, select));
    }

    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, byte[]> source =
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()));
    KStream<String, ParsedReading> parsed = source.mapValues(bytes -> ParsedReading.parse(bytes, rules));
    parsed
        .filter((key, reading) -> !reading.valid())
        .processValues(DeadLetterProcessor::new)
        .to(prefix + input + ".dlq", Produced.with(Serdes.String(), Serdes.ByteArray()));
    // `_value.deviceId AS _key`; `to` partitions by the new key with the producer's partitioner.
    KStream<String, ParsedReading> valid =
        parsed.filter((key, reading) -> reading.valid()).selectKey((key, reading) -> reading.deviceId());
    for (VitalEncoder encoder : encoders) {
      valid
          .mapValues(encoder::encode)
          .to(encoder.topic(), Produced.with(Serdes.String(), Serdes.ByteArray()));
    }

    properties.put(StreamsConfig.APPLICATION_ID_CONFIG, required(options, "application-id"));
    properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    properties.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    if (options.containsKey("state-dir")) {
      properties.put(StreamsConfig.STATE_DIR_CONFIG, options.get("state-dir"));
    }

    KafkaStreams streams = new KafkaStreams(builder.build(), properties);
    CountDownLatch closed = new CountDownLatch(1);
    streams.setStateListener(
        (now, before) -> {
          System.out.println("state " + before + " -> " + now);
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) closed.countDown();
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close(Duration.ofSeconds(20));
                  closed.countDown();
                }));
    streams.start();
    closed.await();
  }

  private static Map<String, String> parseArgs(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option, got " + args[i]);
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) throw new IllegalArgumentException("--" + name + " is required");
    return value;
  }

  /** The two Confluent Schema Registry REST calls the splitter needs. */
  static final class SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;
    private final String authorization;

    SchemaRegistry(String baseUrl, String userInfo) {
      this.baseUrl = baseUrl.replaceAll("/+$", "");
      this.authorization =
          userInfo == null
              ? null
              : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    int register(String subject, String schema) throws IOException, InterruptedException {
      String body = json.writeValueAsString(Map.of("schema", schema));
      return call("POST", "/subjects/" + subject + "/versions", body).get("id").asInt();
    }

    void setCompatibility(String subject, String level) throws IOException, InterruptedException {
      call("PUT", "/config/" + subject, json.writeValueAsString(Map.of("compatibility", level)));
    }

    private JsonNode call(String method, String path, String body)
        throws IOException, InterruptedException {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .method(method, HttpRequest.BodyPublishers.ofString(body))
              .header("content-type", CONTENT_TYPE)
              .header("accept", CONTENT_TYPE)
              .timeout(Duration.ofSeconds(10));
      if (authorization != null) builder.header("authorization", authorization);
      HttpRequest request = builder.build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IOException(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return json.readTree(response.body());
    }
  }
}
