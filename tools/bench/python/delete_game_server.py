"""DELETE /gameservers/{id}: a consistent read, the deletion request, then the quota slot freed, as
DeleteGameServerHandler."""
import datetime
import json
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
QUOTA_TABLE = os.environ["QUOTA_TABLE_NAME"]
dynamodb = boto3.client("dynamodb")


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    gameserver_id = event["pathParameters"]["id"]
    key = {"owner": {"S": owner}, "gameserver_id": {"S": gameserver_id}}
    item = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item")
    if not item:
        return {"statusCode": 404, "body": json.dumps({"error": "not_found"})}
    written = dynamodb.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #deleteRequested = :true, #status = :status, #updated = :updated REMOVE #reason",
        ConditionExpression="attribute_exists(#id) AND attribute_not_exists(#deleteRequested)",
        ExpressionAttributeNames={"#deleteRequested": "delete_requested", "#status": "status",
                                  "#updated": "updated_at", "#reason": "status_reason", "#id": "gameserver_id"},
        ExpressionAttributeValues={":true": {"BOOL": True}, ":status": {"S": "DELETE_PENDING"},
                                   ":updated": {"S": datetime.datetime.now(datetime.timezone.utc).isoformat()}},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    dynamodb.update_item(
        TableName=QUOTA_TABLE,
        Key={"owner": {"S": owner}},
        UpdateExpression="DELETE #servers :id",
        ExpressionAttributeNames={"#servers": "servers"},
        ExpressionAttributeValues={":id": {"SS": [gameserver_id]}},
    )
    return {"statusCode": 200, "body": json.dumps({"gameserver_id": gameserver_id, "status": written["status"]["S"]})}
