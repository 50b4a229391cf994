import { execa } from 'execa';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBroker } from '@realtime-platform/local-infra';
import { defaultTopicPartitions } from '@realtime-platform/platform-contract';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import type { BenchPart } from '../bench-part.js';

/** Records and record size: small records, the size of one reading (~200 bytes of JSON). */
const records = Number(process.env.BENCH_LIMIT_RECORDS ?? 2_000_000);
const recordSize = 200;

/** `ProducerPerformance`'s last line: "N records sent, R records/sec (M MB/sec), A ms avg latency, … 50th, … 99th…". */
function parseProducer(output: string): { recordsPerSecond: number; p50Ms: number; p99Ms: number } {
  const line = output.trim().split('\n').at(-1) ?? '';
  const match =
    /records sent, ([\d.]+) records\/sec .*?(\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(line);
  if (!match) throw new Error(`unexpected ProducerPerformance output: ${line}`);
  return { recordsPerSecond: Number(match[1]), p50Ms: Number(match[2]), p99Ms: Number(match[3]) };
}

/** `ConsumerPerformance` CSV: start, end, MB, MB/s, messages, messages/s, … */
function parseConsumer(output: string): number {
  const line = output.trim().split('\n').at(-1) ?? '';
  const value = Number(line.split(',')[5]);
  if (!Number.isFinite(value)) throw new Error(`unexpected ConsumerPerformance output: ${line}`);
  return value;
}

/**
 * The ceiling: Kafka's own perf tools (from the same jars the broker runs) producing and consuming
 * small records on one local broker, acks=all like the pipeline's producers. Every pipeline figure
 * is compared to this.
 */
export const kafkaLimitPart: BenchPart = {
  name: 'limit',
  description: `Kafka's own perf tools: ${records} records of ${recordSize} B produced (acks=all) and consumed`,
  async run(log) {
    const broker = await KafkaBroker.start({ heap: '1g' });
    try {
      const kafka = new Kafka({
        clientId: 'bench-limit',
        ...broker.kafkajsConfig(),
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: 'perf', numPartitions: defaultTopicPartitions }],
      });
      await admin.disconnect();

      const { javaBinary, classpath } = kafkaDistribution();
      const java = (main: string, args: string[]): Promise<string> =>
        execa(javaBinary, ['-Xmx512m', '-cp', classpath, main, ...args], {
          env: { KAFKA_LOG4J_OPTS: '' },
        }).then((result) => result.stdout);
      log('producing…');
      const produced = parseProducer(
        await java('org.apache.kafka.tools.ProducerPerformance', [
          '--topic',
          'perf',
          '--num-records',
          String(records),
          '--record-size',
          String(recordSize),
          '--throughput',
          '-1',
          // SASL login of the provisioning principal, from a 0600 file.
          '--producer.config',
          broker.clientPropertiesFile(),
          '--producer-props',
          `bootstrap.servers=${broker.bootstrapServers}`,
          'acks=all',
          'linger.ms=5',
          'batch.size=65536',
        ]),
      );
      log(`produced ${produced.recordsPerSecond.toFixed(0)} records/s`);
      log('consuming…');
      const consumed = parseConsumer(
        await java('org.apache.kafka.tools.ConsumerPerformance', [
          '--bootstrap-server',
          broker.bootstrapServers,
          '--consumer.config',
          broker.clientPropertiesFile(),
          '--topic',
          'perf',
          '--messages',
          String(records),
          '--timeout',
          '60000',
        ]),
      );
      log(`consumed ${consumed.toFixed(0)} records/s`);
      return {
        figures: [
          {
            name: 'kafka produce (perf tool, acks=all)',
            value: produced.recordsPerSecond,
            unit: 'records/s',
            note: `${recordSize} B records`,
          },
          { name: 'kafka produce latency p50', value: produced.p50Ms, unit: 'ms' },
          { name: 'kafka produce latency p99', value: produced.p99Ms, unit: 'ms' },
          { name: 'kafka consume (perf tool)', value: consumed, unit: 'records/s' },
        ],
        details: { records, recordSize, partitions: defaultTopicPartitions },
      };
    } finally {
      await broker.stop();
    }
  },
};
