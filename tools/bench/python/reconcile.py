"""The reconciler's pass on a table with nothing to repair: the by-status index read for each in-flight status
(changed before the stuck cut-off) and for ACTIVE, as ReconcileHandler (no workload account configured, so no
stacks are listed)."""
import datetime
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
STUCK_AFTER = int(os.environ.get("STUCK_AFTER_SECONDS", "600"))
IN_FLIGHT = ["CREATE_PENDING", "UPDATE_PENDING", "DELETE_PENDING", "CREATING", "UPDATING", "DELETING"]
dynamodb = boto3.client("dynamodb")
sfn = boto3.client("stepfunctions")


def handler(event, context):
    cutoff = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=STUCK_AFTER)).isoformat()
    checked = 0
    for status in IN_FLIGHT:
        checked += len(dynamodb.query(
            TableName=TABLE, IndexName="by-status", Limit=100,
            KeyConditionExpression="#status = :status AND #updated < :before",
            ExpressionAttributeNames={"#status": "status", "#updated": "updated_at"},
            ExpressionAttributeValues={":status": {"S": status}, ":before": {"S": cutoff}},
        )["Items"])
    checked += len(dynamodb.query(
        TableName=TABLE, IndexName="by-status", Limit=100,
        KeyConditionExpression="#status = :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": {"S": "ACTIVE"}},
    )["Items"])
    return {"checked": checked, "findings": []}
