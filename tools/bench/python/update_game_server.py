"""PATCH /gameservers/{id}: a consistent read, then the merged config written under the generation it was read
at, as UpdateGameServerHandler."""
import datetime
import json
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    key = {"owner": {"S": owner}, "gameserver_id": {"S": event["pathParameters"]["id"]}}
    change = json.loads(event["body"])["config"]
    item = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item")
    if not item:
        return {"statusCode": 404, "body": json.dumps({"error": "not_found"})}
    config = dict(item["config"]["M"])
    config["player_count"] = {"N": str(change["player_count"])}
    generation = int(item["generation"]["N"])
    dynamodb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #config = :config, #generation = :generation, #status = :status, "
        "#updated = :updated REMOVE #reason",
        ConditionExpression="#generation = :expected AND attribute_not_exists(#deleteRequested)",
        ExpressionAttributeNames={"#config": "config", "#generation": "generation", "#status": "status",
                                  "#updated": "updated_at", "#reason": "status_reason",
                                  "#deleteRequested": "delete_requested"},
        ExpressionAttributeValues={
            ":config": {"M": config},
            ":generation": {"N": str(generation + 1)},
            ":status": {"S": "UPDATE_PENDING"},
            ":updated": {"S": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            ":expected": {"N": str(generation)},
        },
    )
    return {"statusCode": 200, "body": json.dumps({"generation": generation + 1, "status": "UPDATE_PENDING"})}
