# An answer AWS completes later is read again: ACM's DescribeCertificate
# gives a certificate's DNS validation record some seconds after
# RequestCertificate. Through tests/tools/slow_proxy.py, the first two
# answers come without it: apply reads it again (a pause between) and goes
# on, the record made in the zone and the certificate issued (moto, its
# validation at once).
. tests/lib.sh
need_python moto.server boto3 || exit 0
BIN=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
TOOLS=$(pwd)/tests/tools
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER="" MOTO_ACM_VALIDATION_WAIT=0
start_moto
cd "$T" || exit 1
python3 "$TOOLS/slow_proxy.py" "$URL" 0 DescribeCertificate 2 incomplete >proxy.port &
proxy=$!
trap 'kill $moto $proxy 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 50); do [ -s proxy.port ] && break; sleep 0.1; done
cat >cert.infra <<'EOS'
stack certs { region = "us-east-1" }
zone example { domain = "example.com" }
certificate api { domain = "api.example.com"  validation = dns(example) }
EOS
if "$BIN" apply cert.infra --state cert.state --endpoint-url "http://127.0.0.1:$(cat proxy.port)" \
     --auto-approve >apply.out 2>&1 &&
   grep -q "DescribeCertificate of api has no .*ResourceRecord.Name yet: read again (2)" apply.out; then
  ok "acm: a validation record not yet in DescribeCertificate is read again"
else bad "acm: a validation record not yet in DescribeCertificate is read again" apply.out; fi
status=$(aws --endpoint-url "$URL" --output text acm list-certificates --query 'CertificateSummaryList[0].Status' 2>&1)
records=$(aws --endpoint-url "$URL" --output text route53 list-resource-record-sets \
  --hosted-zone-id "$(aws --endpoint-url "$URL" --output text route53 list-hosted-zones --query 'HostedZones[0].Id')" \
  --query "length(ResourceRecordSets[?Type=='CNAME'])" 2>&1)
if [ "$status" = ISSUED ] && [ "$records" = 1 ]; then ok "acm: the validation record made, the certificate issued"
else printf 'status %s, CNAME records %s\n' "$status" "$records" >"$T/d"; bad "acm: the validation record made, the certificate issued" "$T/d"; fi
