# Generated from tests/fixtures/scenarios.yaml by python -m harness.native_suite: do not edit, regenerate.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\": \"2012-10-17\", \"Statement\": []}" }
  }
}

run "default" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "default"
  }
}

run "default_named_bucket" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "named-bucket"
    bucket_name = "named-bucket-glue-data"
  }
}

run "one_az" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "one-az"
    az_count = 1
  }
}

run "three_az" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "three-az"
    az_count = 3
    availability_zones = ["us-east-1c", "us-east-1a", "us-east-1b"]
  }
}

run "restrict_egress" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "restricted"
    restrict_egress = true
  }
}

run "nat_only" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "nat-only"
    enable_nat_gateway = true
    interface_endpoints = []
  }
}

run "nat_only_restricted" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "nat-restricted"
    enable_nat_gateway = true
    interface_endpoints = []
    restrict_egress = true
  }
}

run "endpoints_only" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "endpoints-only"
    enable_nat_gateway = false
    interface_endpoints = ["kms", "secretsmanager", "sts"]
  }
}

run "private_endpoints" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "endpoints"
    restrict_egress = true
    interface_endpoints = ["glue", "logs", "sts", "kms"]
  }
}

run "custom_jobs" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "custom"
    jobs = {"ingest": {"script": "1_data_cleansing.py", "worker_type": "G.2X", "number_of_workers": 10, "timeout": 120, "max_retries": 1, "arguments": {"--input_path": "s3://{bucket}/raw/customers/", "--output_path": "s3://{bucket}/cleansed/customers/", "--rejects_path": "s3://{bucket}/rejects/customers/"}}, "features": {"script": "2_feature_engineering.py", "arguments": {"--customers_path": "s3://{bucket}/cleansed/customers/", "--transactions_path": "s3://{bucket}/raw/transactions/", "--output_path": "s3://{bucket}/features/customers/"}}, "report": {"script": "2_feature_engineering.py", "number_of_workers": 4}}
    workflow_job_order = ["ingest", "features", "report"]
    workflow_schedule = "cron(0 2 * * ? *)"
    enable_lifecycle_rules = false
  }
}

run "vpc_only" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "vpc-only"
    az_count = 2
  }
}

run "glue_only" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "glue-only"
    network_mode = "vpc"
    bucket_name = "glue-only-data"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1b", "cidr_block": "10.1.0.0/24"}, {"id": "subnet-0fedcba9876543210", "availability_zone": "us-east-1a", "cidr_block": "10.1.1.0/24"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(r["encryption_configuration"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(r[\"encryption_configuration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["s3_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"s3_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["s3_encryption"])[0]["s3_encryption_mode"] == "SSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"s3_encryption\"])[0][\"s3_encryption_mode\"] == \"SSE-KMS\""
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["cloudwatch_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"cloudwatch_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["cloudwatch_encryption"])[0]["cloudwatch_encryption_mode"] == "SSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"cloudwatch_encryption\"])[0][\"cloudwatch_encryption_mode\"] == \"SSE-KMS\""
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["job_bookmarks_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"job_bookmarks_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["job_bookmarks_encryption"])[0]["job_bookmarks_encryption_mode"] == "CSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"job_bookmarks_encryption\"])[0][\"job_bookmarks_encryption_mode\"] == \"CSE-KMS\""
  }
  assert {
    condition     = length([for r in aws_glue_job.this : r]) > 0
    error_message = "aws_glue_job.this[*]: no planned resource matches"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["execution_class"] == "STANDARD"])
    error_message = "aws_glue_job.this[*]: r[\"execution_class\"] == \"STANDARD\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["glue_version"] == "5.0"])
    error_message = "aws_glue_job.this[*]: r[\"glue_version\"] == \"5.0\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : length(r["command"]) == 1])
    error_message = "aws_glue_job.this[*]: length(r[\"command\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : tolist(r["command"])[0]["name"] == "glueetl"])
    error_message = "aws_glue_job.this[*]: tolist(r[\"command\"])[0][\"name\"] == \"glueetl\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["default_arguments"]["--conf"] == "spark.network.timeout=600s"])
    error_message = "aws_glue_job.this[*]: r[\"default_arguments\"][\"--conf\"] == \"spark.network.timeout=600s\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["default_arguments"]["--enable-continuous-cloudwatch-log"] == "true"])
    error_message = "aws_glue_job.this[*]: r[\"default_arguments\"][\"--enable-continuous-cloudwatch-log\"] == \"true\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["default_arguments"]["--job-bookmark-option"] == "job-bookmark-enable"])
    error_message = "aws_glue_job.this[*]: r[\"default_arguments\"][\"--job-bookmark-option\"] == \"job-bookmark-enable\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["default_arguments"]["--enable-spark-ui"] == "true"])
    error_message = "aws_glue_job.this[*]: r[\"default_arguments\"][\"--enable-spark-ui\"] == \"true\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["block_public_acls"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"block_public_acls\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["block_public_policy"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"block_public_policy\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["ignore_public_acls"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"ignore_public_acls\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["restrict_public_buckets"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"restrict_public_buckets\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : length(r["rule"]) == 1])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: length(r[\"rule\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : length(tolist(r["rule"])[0]["apply_server_side_encryption_by_default"]) == 1])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: length(tolist(r[\"rule\"])[0][\"apply_server_side_encryption_by_default\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : tolist(tolist(r["rule"])[0]["apply_server_side_encryption_by_default"])[0]["sse_algorithm"] == "aws:kms"])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: tolist(tolist(r[\"rule\"])[0][\"apply_server_side_encryption_by_default\"])[0][\"sse_algorithm\"] == \"aws:kms\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_versioning.data] : length(r["versioning_configuration"]) == 1])
    error_message = "aws_s3_bucket_versioning.data: length(r[\"versioning_configuration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_versioning.data] : tolist(r["versioning_configuration"])[0]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_versioning.data: tolist(r[\"versioning_configuration\"])[0][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = length([for r in aws_kms_key.this : r]) > 0
    error_message = "aws_kms_key.this*: no planned resource matches"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_kms_key.this : r] : r["enable_key_rotation"] == true])
    error_message = "aws_kms_key.this*: r[\"enable_key_rotation\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_cloudwatch_log_group.jobs] : r["retention_in_days"] == 30])
    error_message = "aws_cloudwatch_log_group.jobs: r[\"retention_in_days\"] == 30"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(r["rule"]) == 3])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(r[\"rule\"]) == 3"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[0]["id"] == "expire-temp"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[0][\"id\"] == \"expire-temp\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[0]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[0][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[0]["filter"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[0][\"filter\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[0]["filter"])[0]["prefix"] == "temp/"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[0][\"filter\"])[0][\"prefix\"] == \"temp/\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[0]["expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[0][\"expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[0]["expiration"])[0]["days"] == 7])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[0][\"expiration\"])[0][\"days\"] == 7"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[1]["id"] == "expire-spark-logs"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[1][\"id\"] == \"expire-spark-logs\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[1]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[1][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[1]["filter"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[1][\"filter\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[1]["filter"])[0]["prefix"] == "spark-logs/"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[1][\"filter\"])[0][\"prefix\"] == \"spark-logs/\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[1]["expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[1][\"expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[1]["expiration"])[0]["days"] == 30])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[1][\"expiration\"])[0][\"days\"] == 30"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[2]["id"] == "expire-noncurrent-versions"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[2][\"id\"] == \"expire-noncurrent-versions\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[2]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[2][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[2]["noncurrent_version_expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[2][\"noncurrent_version_expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[2]["noncurrent_version_expiration"])[0]["noncurrent_days"] == 30])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[2][\"noncurrent_version_expiration\"])[0][\"noncurrent_days\"] == 30"
  }
  assert {
    condition     = length(aws_glue_connection.network) == 2
    error_message = "counts.aws_glue_connection: expected 2"
  }
}

run "glue_subnet_without_cidr" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "no-cidr"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(r["encryption_configuration"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(r[\"encryption_configuration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["s3_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"s3_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["s3_encryption"])[0]["s3_encryption_mode"] == "SSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"s3_encryption\"])[0][\"s3_encryption_mode\"] == \"SSE-KMS\""
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["cloudwatch_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"cloudwatch_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["cloudwatch_encryption"])[0]["cloudwatch_encryption_mode"] == "SSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"cloudwatch_encryption\"])[0][\"cloudwatch_encryption_mode\"] == \"SSE-KMS\""
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["job_bookmarks_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"job_bookmarks_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["job_bookmarks_encryption"])[0]["job_bookmarks_encryption_mode"] == "CSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"job_bookmarks_encryption\"])[0][\"job_bookmarks_encryption_mode\"] == \"CSE-KMS\""
  }
  assert {
    condition     = length([for r in aws_glue_job.this : r]) > 0
    error_message = "aws_glue_job.this[*]: no planned resource matches"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["execution_class"] == "STANDARD"])
    error_message = "aws_glue_job.this[*]: r[\"execution_class\"] == \"STANDARD\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["glue_version"] == "5.0"])
    error_message = "aws_glue_job.this[*]: r[\"glue_version\"] == \"5.0\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : length(r["command"]) == 1])
    error_message = "aws_glue_job.this[*]: length(r[\"command\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : tolist(r["command"])[0]["name"] == "glueetl"])
    error_message = "aws_glue_job.this[*]: tolist(r[\"command\"])[0][\"name\"] == \"glueetl\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["block_public_acls"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"block_public_acls\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["block_public_policy"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"block_public_policy\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["ignore_public_acls"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"ignore_public_acls\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["restrict_public_buckets"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"restrict_public_buckets\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : length(r["rule"]) == 1])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: length(r[\"rule\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : length(tolist(r["rule"])[0]["apply_server_side_encryption_by_default"]) == 1])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: length(tolist(r[\"rule\"])[0][\"apply_server_side_encryption_by_default\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : tolist(tolist(r["rule"])[0]["apply_server_side_encryption_by_default"])[0]["sse_algorithm"] == "aws:kms"])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: tolist(tolist(r[\"rule\"])[0][\"apply_server_side_encryption_by_default\"])[0][\"sse_algorithm\"] == \"aws:kms\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_versioning.data] : length(r["versioning_configuration"]) == 1])
    error_message = "aws_s3_bucket_versioning.data: length(r[\"versioning_configuration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_versioning.data] : tolist(r["versioning_configuration"])[0]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_versioning.data: tolist(r[\"versioning_configuration\"])[0][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = length([for r in aws_kms_key.this : r]) > 0
    error_message = "aws_kms_key.this*: no planned resource matches"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_kms_key.this : r] : r["enable_key_rotation"] == true])
    error_message = "aws_kms_key.this*: r[\"enable_key_rotation\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_cloudwatch_log_group.jobs] : r["retention_in_days"] == 30])
    error_message = "aws_cloudwatch_log_group.jobs: r[\"retention_in_days\"] == 30"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(r["rule"]) == 3])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(r[\"rule\"]) == 3"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[0]["id"] == "expire-temp"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[0][\"id\"] == \"expire-temp\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[0]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[0][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[0]["filter"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[0][\"filter\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[0]["filter"])[0]["prefix"] == "temp/"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[0][\"filter\"])[0][\"prefix\"] == \"temp/\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[0]["expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[0][\"expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[0]["expiration"])[0]["days"] == 7])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[0][\"expiration\"])[0][\"days\"] == 7"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[1]["id"] == "expire-spark-logs"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[1][\"id\"] == \"expire-spark-logs\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[1]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[1][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[1]["filter"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[1][\"filter\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[1]["filter"])[0]["prefix"] == "spark-logs/"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[1][\"filter\"])[0][\"prefix\"] == \"spark-logs/\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[1]["expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[1][\"expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[1]["expiration"])[0]["days"] == 30])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[1][\"expiration\"])[0][\"days\"] == 30"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[2]["id"] == "expire-noncurrent-versions"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[2][\"id\"] == \"expire-noncurrent-versions\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[2]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[2][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[2]["noncurrent_version_expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[2][\"noncurrent_version_expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[2]["noncurrent_version_expiration"])[0]["noncurrent_days"] == 30])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[2][\"noncurrent_version_expiration\"])[0][\"noncurrent_days\"] == 30"
  }
  assert {
    condition     = length(aws_glue_connection.network) == 1
    error_message = "counts.aws_glue_connection: expected 1"
  }
}

run "network_none" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "no-vpc"
    network_mode = "none"
    scripts_dir = "../../glue_scripts"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(r["encryption_configuration"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(r[\"encryption_configuration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["s3_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"s3_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["s3_encryption"])[0]["s3_encryption_mode"] == "SSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"s3_encryption\"])[0][\"s3_encryption_mode\"] == \"SSE-KMS\""
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["cloudwatch_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"cloudwatch_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["cloudwatch_encryption"])[0]["cloudwatch_encryption_mode"] == "SSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"cloudwatch_encryption\"])[0][\"cloudwatch_encryption_mode\"] == \"SSE-KMS\""
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : length(tolist(r["encryption_configuration"])[0]["job_bookmarks_encryption"]) == 1])
    error_message = "aws_glue_security_configuration.this: length(tolist(r[\"encryption_configuration\"])[0][\"job_bookmarks_encryption\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_glue_security_configuration.this] : tolist(tolist(r["encryption_configuration"])[0]["job_bookmarks_encryption"])[0]["job_bookmarks_encryption_mode"] == "CSE-KMS"])
    error_message = "aws_glue_security_configuration.this: tolist(tolist(r[\"encryption_configuration\"])[0][\"job_bookmarks_encryption\"])[0][\"job_bookmarks_encryption_mode\"] == \"CSE-KMS\""
  }
  assert {
    condition     = length([for r in aws_glue_job.this : r]) > 0
    error_message = "aws_glue_job.this[*]: no planned resource matches"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["execution_class"] == "STANDARD"])
    error_message = "aws_glue_job.this[*]: r[\"execution_class\"] == \"STANDARD\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : r["glue_version"] == "5.0"])
    error_message = "aws_glue_job.this[*]: r[\"glue_version\"] == \"5.0\""
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : length(r["command"]) == 1])
    error_message = "aws_glue_job.this[*]: length(r[\"command\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_glue_job.this : r] : tolist(r["command"])[0]["name"] == "glueetl"])
    error_message = "aws_glue_job.this[*]: tolist(r[\"command\"])[0][\"name\"] == \"glueetl\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["block_public_acls"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"block_public_acls\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["block_public_policy"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"block_public_policy\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["ignore_public_acls"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"ignore_public_acls\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_public_access_block.data] : r["restrict_public_buckets"] == true])
    error_message = "aws_s3_bucket_public_access_block.data: r[\"restrict_public_buckets\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : length(r["rule"]) == 1])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: length(r[\"rule\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : length(tolist(r["rule"])[0]["apply_server_side_encryption_by_default"]) == 1])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: length(tolist(r[\"rule\"])[0][\"apply_server_side_encryption_by_default\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_server_side_encryption_configuration.data] : tolist(tolist(r["rule"])[0]["apply_server_side_encryption_by_default"])[0]["sse_algorithm"] == "aws:kms"])
    error_message = "aws_s3_bucket_server_side_encryption_configuration.data: tolist(tolist(r[\"rule\"])[0][\"apply_server_side_encryption_by_default\"])[0][\"sse_algorithm\"] == \"aws:kms\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_versioning.data] : length(r["versioning_configuration"]) == 1])
    error_message = "aws_s3_bucket_versioning.data: length(r[\"versioning_configuration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_versioning.data] : tolist(r["versioning_configuration"])[0]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_versioning.data: tolist(r[\"versioning_configuration\"])[0][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = length([for r in aws_kms_key.this : r]) > 0
    error_message = "aws_kms_key.this*: no planned resource matches"
  }
  assert {
    condition     = alltrue([for r in [for r in aws_kms_key.this : r] : r["enable_key_rotation"] == true])
    error_message = "aws_kms_key.this*: r[\"enable_key_rotation\"] == true"
  }
  assert {
    condition     = alltrue([for r in [aws_cloudwatch_log_group.jobs] : r["retention_in_days"] == 30])
    error_message = "aws_cloudwatch_log_group.jobs: r[\"retention_in_days\"] == 30"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(r["rule"]) == 3])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(r[\"rule\"]) == 3"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[0]["id"] == "expire-temp"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[0][\"id\"] == \"expire-temp\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[0]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[0][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[0]["filter"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[0][\"filter\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[0]["filter"])[0]["prefix"] == "temp/"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[0][\"filter\"])[0][\"prefix\"] == \"temp/\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[0]["expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[0][\"expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[0]["expiration"])[0]["days"] == 7])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[0][\"expiration\"])[0][\"days\"] == 7"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[1]["id"] == "expire-spark-logs"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[1][\"id\"] == \"expire-spark-logs\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[1]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[1][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[1]["filter"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[1][\"filter\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[1]["filter"])[0]["prefix"] == "spark-logs/"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[1][\"filter\"])[0][\"prefix\"] == \"spark-logs/\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[1]["expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[1][\"expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[1]["expiration"])[0]["days"] == 30])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[1][\"expiration\"])[0][\"days\"] == 30"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[2]["id"] == "expire-noncurrent-versions"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[2][\"id\"] == \"expire-noncurrent-versions\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(r["rule"])[2]["status"] == "Enabled"])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(r[\"rule\"])[2][\"status\"] == \"Enabled\""
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : length(tolist(r["rule"])[2]["noncurrent_version_expiration"]) == 1])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: length(tolist(r[\"rule\"])[2][\"noncurrent_version_expiration\"]) == 1"
  }
  assert {
    condition     = alltrue([for r in [aws_s3_bucket_lifecycle_configuration.data[0]] : tolist(tolist(r["rule"])[2]["noncurrent_version_expiration"])[0]["noncurrent_days"] == 30])
    error_message = "aws_s3_bucket_lifecycle_configuration.data[0]: tolist(tolist(r[\"rule\"])[2][\"noncurrent_version_expiration\"])[0][\"noncurrent_days\"] == 30"
  }
  assert {
    condition     = length(aws_glue_connection.network) == 0
    error_message = "counts.aws_glue_connection: expected 0"
  }
}
