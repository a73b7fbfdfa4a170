"""GET /gameservers/{id}: one consistent GetItem, as GetGameServerHandler."""
import json
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")


def handler(event, context):
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    gameserver_id = event["pathParameters"]["id"]
    item = dynamodb.get_item(
        TableName=TABLE,
        Key={"owner": {"S": owner}, "gameserver_id": {"S": gameserver_id}},
        ConsistentRead=True,
    ).get("Item")
    if not item:
        return {"statusCode": 404, "body": json.dumps({"error": "not_found"})}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(player_view(item))}


def player_view(item):
    config = item["config"]["M"]
    return {
        "gameserver_id": item["gameserver_id"]["S"],
        "config": {
            "difficulty": config["difficulty"]["S"],
            "player_count": int(config["player_count"]["N"]),
            "seed": config.get("seed", {}).get("S"),
        },
        "generation": int(item["generation"]["N"]),
        "status": item["status"]["S"],
        "created_at": item["created_at"]["S"],
        "updated_at": item["updated_at"]["S"],
    }
