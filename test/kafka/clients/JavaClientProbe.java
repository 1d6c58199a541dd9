import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives a broker with Apache Kafka's own Java client (kafka-clients 3.9, flexible versions
 * throughout): admin calls, a zstd producer, a consumer group that commits. Prints one line
 * "RESULT key=value ..." for the vitest suite to judge.
 *
 * Usage: java -cp 'kafka-jars/*' JavaClientProbe.java <bootstrap> <topic> <group> <count>
 */
public class JavaClientProbe {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String group = args[2];
    int count = Integer.parseInt(args[3]);
    Properties common = new Properties();
    common.put("bootstrap.servers", bootstrap);

    int described;
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      ConfigResource topicResource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin.incrementalAlterConfigs(Map.of(topicResource,
          List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)))).all().get();
      String retention = admin.describeConfigs(List.of(topicResource)).all().get().get(topicResource).get("retention.ms").value();
      if (!retention.equals("3600000")) throw new IllegalStateException("retention.ms described as " + retention);
      described = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1"))).all().get().values().iterator().next().entries().size();
    }

    Properties producerConfig = (Properties) common.clone();
    producerConfig.put("key.serializer", StringSerializer.class.getName());
    producerConfig.put("value.serializer", StringSerializer.class.getName());
    producerConfig.put("compression.type", "zstd");
    producerConfig.put("linger.ms", "100");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      for (int i = 0; i < count; i++) producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
      producer.flush();
    }

    Properties consumerConfig = (Properties) common.clone();
    consumerConfig.put("group.id", group);
    consumerConfig.put("auto.offset.reset", "earliest");
    consumerConfig.put("enable.auto.commit", "false");
    consumerConfig.put("key.deserializer", StringDeserializer.class.getName());
    consumerConfig.put("value.deserializer", StringDeserializer.class.getName());
    int seen = 0;
    long committed = 0;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 20_000;
      while (seen < count && System.currentTimeMillis() < deadline) seen += consumer.poll(Duration.ofMillis(200)).count();
      consumer.commitSync();
      for (OffsetAndMetadata offset : consumer.committed(new HashSet<>(consumer.assignment())).values()) {
        if (offset != null) committed += offset.offset();
      }
    }
    System.out.println("RESULT seen=" + seen + " committed=" + committed + " brokerConfigs=" + described);
  }
}
