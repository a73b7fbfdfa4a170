package dev.stackfleet.bench.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stackfleet.core.GameServerIds;
import dev.stackfleet.local.stream.LambdaRecordJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Batches of creates of new servers: the shipped INSERT test event, each record with its own server id. */
final class CreateBatches {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String record;
    private final String templateId;

    CreateBatches(Path root) {
        Path event = root.resolve("test-events/stream/insert.json");
        try {
            ObjectNode first = (ObjectNode)
                    JSON.readTree(Files.readString(event)).path("Records").get(0);
            this.record = first.toString();
            this.templateId = first.at("/dynamodb/NewImage/gameserver_id/S").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + event, e);
        }
    }

    DynamodbEvent of(int size) {
        List<JsonNode> records = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                records.add(JSON.readTree(record.replace(templateId, GameServerIds.next())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LambdaRecordJson().toEvent(records);
    }
}
