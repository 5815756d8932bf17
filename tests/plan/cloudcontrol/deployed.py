"""deployed.py TEMPLATE STATE: the state of a deployment of TEMPLATE (the Cloud Control
stack of tests/plan/cloudcontrol) as it was before three changes: the queue's visibility
timeout differs (an update in place: a JSON Patch), the table had a name (create-only: a
replacement), and a topic is gone from the stack (a delete). Every resource captured its
identifier and ARN."""
import json
import sys

t = json.load(open(sys.argv[1]))
r = t['Resources']
r['JobsQueue']['Properties']['VisibilityTimeout'] = 30
r['OrdersTable']['Properties']['TableName'] = 'orders-old'
r['OldTopic'] = {'Type': 'AWS::SNS::Topic', 'Properties': {'DisplayName': 'gone'}}
json.dump({'format': 'infrac-state/1', 'stack': 'cc', 'region': 'us-east-1', 'template': t,
           'resources': {k: {'resource': k, 'captures': {'id': 'id-' + k, 'arn': 'arn:aws:sns:us-east-1:123456789012:' + k}}
                         for k in r}}, open(sys.argv[2], 'w'))
