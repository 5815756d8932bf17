# The network of tests/apply/net.infra in Terraform, for bench/apply_terraform:
# a VPC over three zones, an internet gateway, a NAT gateway, public and
# private route tables, two security groups (one referring to the other), a
# log group; against the endpoint in var.endpoint (a local moto server).
variable "endpoint" { type = string }
variable "stack" {
  type    = string
  default = "nettf"
}

terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "ap-northeast-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    ec2  = var.endpoint
    logs = var.endpoint
    sts  = var.endpoint
    iam  = var.endpoint
  }
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "${var.stack}-main" }
}

locals {
  subnets = {
    public_a  = { cidr = "10.20.0.0/24", az = "ap-northeast-1a" }
    public_c  = { cidr = "10.20.1.0/24", az = "ap-northeast-1c" }
    public_d  = { cidr = "10.20.2.0/24", az = "ap-northeast-1d" }
    private_a = { cidr = "10.20.10.0/24", az = "ap-northeast-1a" }
  }
}

resource "aws_subnet" "s" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags              = { Name = "${var.stack}-${each.key}" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "${var.stack}-igw" }
}

resource "aws_eip" "nat" {
  domain     = "vpc"
  depends_on = [aws_internet_gateway.igw]
  tags       = { Name = "${var.stack}-nat" }
}

resource "aws_nat_gateway" "nat" {
  subnet_id     = aws_subnet.s["public_a"].id
  allocation_id = aws_eip.nat.id
  tags          = { Name = "${var.stack}-nat" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "${var.stack}-public" }
}

resource "aws_route" "public_default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw.id
}

resource "aws_route_table_association" "public" {
  for_each       = toset(["public_a", "public_c", "public_d"])
  route_table_id = aws_route_table.public.id
  subnet_id      = aws_subnet.s[each.key].id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "${var.stack}-private" }
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.nat.id
}

resource "aws_route_table_association" "private" {
  route_table_id = aws_route_table.private.id
  subnet_id      = aws_subnet.s["private_a"].id
}

resource "aws_security_group" "web" {
  name        = "${var.stack}-web"
  description = "HTTP and HTTPS from anywhere"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "${var.stack}-web" }
}

resource "aws_vpc_security_group_ingress_rule" "web" {
  for_each          = toset(["80", "443"])
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = tonumber(each.key)
  to_port           = tonumber(each.key)
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "db" {
  name        = "${var.stack}-db"
  description = "PostgreSQL from the web tier"
  vpc_id      = aws_vpc.main.id
  tags        = { Name = "${var.stack}-db" }
}

resource "aws_vpc_security_group_ingress_rule" "db" {
  security_group_id            = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.web.id
}

resource "aws_cloudwatch_log_group" "app_logs" {
  name              = "/infrac/${var.stack}/app_logs"
  retention_in_days = 7
  tags              = { Name = "${var.stack}-app_logs" }
}
