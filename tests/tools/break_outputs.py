"""break_outputs.py TEMPLATE.json PLAN.json DIR: writes broken copies of a good template
and a good API plan, one defect each, for tests/suites/validators.sh to prove that
cfn_validate.py and plan_validate.py refuse them. Each DIR/NAME.json (or .yaml) has
beside it DIR/NAME.expect: the text the validator's report must hold."""
import copy
import json
import os
import sys


def template_cases(t):
    """(name, expected text, change) for the template: cfn-lint's rules, then the project's."""
    res = t['Resources']

    def cases():
        yield 'wrong-type', '[E3012]', lambda t: t['Resources']['DbDbInstance']['Properties'].update(MultiAZ=[1])
        yield 'unknown-property', '[E3002]', lambda t: t['Resources']['MainVpc']['Properties'].update(Cidr='x')
        yield 'unknown-type', '[E3006]', lambda t: t['Resources']['MainVpc'].update(Type='AWS::EC2::Vpcc')
        yield 'missing-required', '[E3003]', lambda t: t['Resources']['DbSubnetGroup']['Properties'].pop('SubnetIds')
        yield 'ref-missing', '[E1020]', lambda t: t['Resources']['DbDbInstance']['Properties'].update(
            DBSubnetGroupName={'Ref': 'NoSuchGroup'})
        yield 'dependson-missing', '[E3005]', lambda t: t['Resources']['MainVpc'].update(DependsOn=['Nothing'])
        yield 'getatt-bad-attribute', "'NoSuchAttr' is not one of", lambda t: t['Outputs']['AlbDns'].update(
            Value={'Fn::GetAtt': ['ApiAlbLoadBalancer', 'NoSuchAttr']})
        # the project's rules, where cfn-lint 1.51 is silent
        yield 'null-value', '[null-value]', lambda t: t['Resources']['ApiRepoRepository']['Properties'].update(
            EmptyOnDelete=None)
        yield 'unknown-function', '[unknown-function]', lambda t: t['Resources']['MainVpc'].update(
            Metadata={'Source': {'Fn::GetAttr': ['MainVpc', 'CidrBlock']}})
        yield 'findinmap-key', '[findinmap-key]', lambda t: (
            t.update(Mappings={'Sizes': {'small': {'Class': 'db.t3.micro'}}}),
            t['Outputs'].update(Size={'Value': {'Fn::FindInMap': ['Sizes', 'large', 'Class']}}))
        yield 'importvalue-of-resource', '[importvalue-of-resource]', lambda t: t['Outputs'].update(
            Imported={'Value': {'Fn::ImportValue': {'Fn::Sub': '${MainVpc}-id'}}})
        yield 'select-range', '[select-range]', lambda t: t['Outputs'].update(
            Third={'Value': {'Fn::Select': [2, {'Fn::Split': [',', 'a,b']}]}})
        yield 'number-default', '[number-default]', lambda t: t['Parameters'].update(
            Count={'Type': 'Number', 'Default': 'two'})
        yield 'duplicate-export', '[duplicate-export]', lambda t: (
            t['Outputs']['Url'].update(Export={'Name': 'web-url'}),
            t['Outputs']['AlbDns'].update(Export={'Name': 'web-url'}))
        yield 'condition-cycle', '[condition-cycle]', lambda t: t.update(Conditions={
            'A': {'Fn::Not': [{'Condition': 'B'}]}, 'B': {'Fn::Not': [{'Condition': 'A'}]}})
        yield 'cfn-lint-settings', '[settings]', lambda t: t.update(
            Metadata={'cfn-lint': {'config': {'ignore_checks': ['E3012']}}})
    assert 'MainVpc' in res and 'DbDbInstance' in res, 'the template is not the webapp example'
    return cases()


def plan_cases():
    """(name, expected text, change) for the API plan; s1 creates the VPC, sub(p) a subnet in it."""
    def step(p, sid):
        return next(s for s in p['steps'] if s['id'] == sid)

    def sub(p):
        return next(s for s in p['steps'] if s['operation'] == 'CreateSubnet')

    def hold(step, param, text, form):
        """params.param as text, listed as form (replacing what the list had there)."""
        at = '/params/' + param
        step['params'][param] = text
        step['placeholders'] = [e for e in step.get('placeholders', []) if e['at'] != at] + [
            {'at': at, 'value': form}]

    def unlist(step, param):
        """params.param as the form its entry listed, the entry gone: a form no entry lists."""
        at = '/params/' + param
        step['params'][param] = next(e['value'] for e in step['placeholders'] if e['at'] == at)
        step['placeholders'] = [e for e in step['placeholders'] if e['at'] != at]

    def summary(p):
        p['summary']['create'] += 1
    yield 'format', 'format:', lambda p: p.update(format='infrac-plan/2')
    yield 'region', 'region:', lambda p: p.update(region='mars-north-1')
    yield 'summary', 'summary:', summary
    yield 'unknown-service', "service 'ec3'", lambda p: step(p, 's1').update(service='ec3')
    yield 'unknown-operation', "operation 'CreateVpcs'", lambda p: step(p, 's1').update(operation='CreateVpcs')
    yield 'unknown-param', 'Unknown parameter', lambda p: sub(p)['params'].update(Cidr='10.0.0.0/24')
    yield 'missing-param', 'Missing required parameter', lambda p: sub(p)['params'].pop('VpcId')
    yield 'wrong-type', 'Invalid type', lambda p: sub(p)['params'].update(Ipv6Native='yes')
    yield 'enum', 'is none of', lambda p: sub(p)['params']['TagSpecifications'][0].update(
        ResourceType='subnets')
    yield 'unknown-waiter', "wait 'vpc_ready'", lambda p: step(p, 's1').update(wait='vpc_ready')
    yield 'depends-missing', "depends_on 's0' is no step", lambda p: sub(p)['depends_on'].append('s0')
    yield 'depends-later', 'not an earlier step', lambda p: step(p, 's1')['depends_on'].append(sub(p)['id'])
    yield 'placeholder-unknown', 'main.cidr is no capture', lambda p: hold(
        sub(p), 'CidrBlock', '${main.cidr}', {'$capture': 'main.cidr'})
    yield 'placeholder-in-join', 'main.cidr is no capture', lambda p: hold(
        sub(p), 'CidrBlock', '${main.cidr}/24', {'$join': [{'$capture': 'main.cidr'}, '/24']})
    yield 'placeholder-malformed', 'is no {"$capture": NAME}', lambda p: hold(
        sub(p), 'VpcId', '${main.id}', {'$capture': 'main.id', 'attr': 'id'})
    yield 'join-not-a-string', 'Invalid type', lambda p: hold(sub(p), 'Ipv6Native', 'true', {'$join': ['tr', 'ue']})
    yield 'placeholder-tampered', 'the text of its placeholder', lambda p: sub(p)['params'].update(VpcId='vpc-0123')
    yield 'placeholder-unlisted', 'does not list', lambda p: unlist(sub(p), 'VpcId')
    yield 'placeholder-twice', 'listed twice', lambda p: sub(p)['placeholders'].append(
        dict(sub(p)['placeholders'][0]))
    yield 'placeholder-not-depended', 'does not depend on', lambda p: sub(p).update(depends_on=[])
    yield 'capture-path', "capture 'Vpc.Id'", lambda p: step(p, 's1')['captures'].update({'main.id': 'Vpc.Id'})
    yield 'duplicate-id', 'not unique', lambda p: sub(p).update(id='s1')
    yield 'bad-action', "action 'make'", lambda p: step(p, 's1').update(action='make')
    yield 'unknown-type', 'type AWS::EC2::Vpcc', lambda p: step(p, 's1').update(type='AWS::EC2::Vpcc')


def main(template_path, plan_path, out):
    os.makedirs(out, exist_ok=True)
    template = json.load(open(template_path))
    plan = json.load(open(plan_path))
    assert plan['steps'][0]['operation'] == 'CreateVpc', 'the plan is not the webapp example'
    for prefix, good, cases in (('cfn', template, template_cases(template)), ('plan', plan, plan_cases())):
        for name, expected, change in cases:
            broken = copy.deepcopy(good)
            change(broken)
            with open(os.path.join(out, '%s-%s.json' % (prefix, name)), 'w') as f:
                json.dump(broken, f, indent=1)
            with open(os.path.join(out, '%s-%s.expect' % (prefix, name)), 'w') as f:
                f.write(expected + '\n')
    # YAML: a key with nothing after it is null
    with open(os.path.join(out, 'cfn-null-yaml.yaml'), 'w') as f:
        f.write('Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n'
                '      EnableDnsSupport:\n')
    with open(os.path.join(out, 'cfn-null-yaml.expect'), 'w') as f:
        f.write('[null-value]\n')


if __name__ == '__main__':
    main(*sys.argv[1:4])
