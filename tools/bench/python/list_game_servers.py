"""GET /gameservers: one Query of the caller's partition, as ListGameServersHandler."""
import json
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    page = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="owner = :u",
        ExpressionAttributeValues={":u": {"S": owner}},
        Limit=20,
    )
    servers = [{"gameserver_id": i["gameserver_id"]["S"], "status": i["status"]["S"]} for i in page["Items"]]
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"gameservers": servers})}
