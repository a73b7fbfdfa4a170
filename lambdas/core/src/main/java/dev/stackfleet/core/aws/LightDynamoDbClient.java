package dev.stackfleet.core.aws;

import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB client of the deployed Lambdas: the SDK's {@link DynamoDbClient} for the item operations, over
 * {@link AwsJsonClient}. Every other operation is the interface's default, which throws
 * {@code UnsupportedOperationException}; the Lambdas manage no tables.
 */
public final class LightDynamoDbClient extends LightAwsClient implements DynamoDbClient {

    static final AwsJsonClient.Service DYNAMODB = new AwsJsonClient.Service(
            "dynamodb",
            "dynamodb",
            "DynamoDb",
            "DynamoDB_20120810",
            "1.0",
            DynamoDbException.class.getPackageName(),
            DynamoDbException::builder,
            AwsJsonClient.Retries.DYNAMODB);

    LightDynamoDbClient(AwsJsonClient json) {
        super(json);
    }

    /** A client for {@code region}, at the endpoint the environment names or DynamoDB's regional one. */
    public static LightDynamoDbClient create(
            String region, AwsCredentialsProvider credentials, Function<String, String> env) {
        return new LightDynamoDbClient(
                AwsJsonClient.create(DYNAMODB, region, credentials, AwsJsonClient.Timeouts.DEFAULT, env));
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return json.call("GetItem", request, GetItemResponse.builder());
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return json.call("PutItem", request, PutItemResponse.builder());
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return json.call("UpdateItem", request, UpdateItemResponse.builder());
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return json.call("DeleteItem", request, DeleteItemResponse.builder());
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return json.call("Query", request, QueryResponse.builder());
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        return json.call("Scan", request, ScanResponse.builder());
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return json.call("BatchGetItem", request, BatchGetItemResponse.builder());
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return json.call("BatchWriteItem", request, BatchWriteItemResponse.builder());
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest request) {
        return json.call("TransactGetItems", request, TransactGetItemsResponse.builder());
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return json.call("TransactWriteItems", request, TransactWriteItemsResponse.builder());
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }
}
