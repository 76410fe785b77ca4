# Generated from tests/fixtures/invalid_inputs.yaml by python -m harness.native_suite: do not edit, regenerate.

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

run "vpc_arguments" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-args"
    network_mode = "none"
    jobs = {"seed": {"script": "1_data_cleansing.py", "arguments": {"--vpc-subnet-ids": "subnet-0123456789abcdef0"}}}
    workflow_job_order = ["seed"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.jobs]
}

run "subnet_name_not_id" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-subnet"
    subnets = [{"id": "private-subnet-a", "availability_zone": "us-east-1a"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.subnets]
}

run "security_group_name_not_id" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-sg"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a"}]
    security_group_ids = ["glue-jobs"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.security_group_ids]
}

run "subnet_without_zone" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "no-az"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": ""}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.subnets]
}

run "same_subnet_in_two_zones" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "dup-subnet"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a"}, {"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1b"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.subnets]
}

run "unknown_network_mode" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-mode"
    network_mode = "private"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.network_mode]
}

run "unsupported_glue_version" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "old-glue"
    network_mode = "none"
    glue_version = "2.0"
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.glue_version]
}

run "too_few_workers" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "one-worker"
    network_mode = "none"
    jobs = {"tiny": {"script": "1_data_cleansing.py", "number_of_workers": 1}}
    workflow_job_order = ["tiny"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.jobs]
}

run "unknown_worker_type" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-worker"
    network_mode = "none"
    jobs = {"heavy": {"script": "1_data_cleansing.py", "worker_type": "G.3X"}}
    workflow_job_order = ["heavy"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.jobs]
}

run "job_key_not_a_name" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-key"
    network_mode = "none"
    jobs = {"Daily_Load": {"script": "1_data_cleansing.py"}}
    workflow_job_order = ["Daily_Load"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.jobs]
}

run "script_outside_scripts_dir" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "escape"
    network_mode = "none"
    jobs = {"escape": {"script": "../infra/main.tf"}}
    workflow_job_order = ["escape"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.jobs]
}

run "workflow_order_repeats_a_job" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "dup-order"
    network_mode = "none"
    workflow_job_order = ["customer-data-cleansing", "customer-data-cleansing", "feature-engineering"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.workflow_job_order]
}

run "schedule_not_six_fields" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-cron-shape"
    network_mode = "none"
    workflow_schedule = "cron(0 2 * * ?)"
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.workflow_schedule]
}

run "bucket_name_adjacent_periods" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "dots"
    network_mode = "none"
    bucket_name = "my..bucket"
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.bucket_name]
}

run "bucket_name_ip_address" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "ip-bucket"
    network_mode = "none"
    bucket_name = "192.168.1.1"
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.bucket_name]
}

run "vpc_cidr_too_large" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "bad-cidr"
    cidr_block = "10.0.0.0/8"
  }
  expect_failures = [var.cidr_block]
}

run "vpc_cidr_host_bits" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "host-bits"
    cidr_block = "10.0.5.0/16"
  }
  expect_failures = [var.cidr_block]
}

run "stack_vpc_cidr_host_bits" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "stack-host-bits"
    vpc_cidr = "10.0.5.0/16"
  }
  expect_failures = [var.vpc_cidr]
}

run "duplicate_zones" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "dup-zones"
    availability_zones = ["us-east-1a", "us-east-1a"]
  }
  expect_failures = [var.availability_zones]
}

run "endpoint_url_not_a_url" {
  command = plan
  module {
    source = "../../infra"
  }
  variables {
    name_prefix = "bad-url"
    endpoint_url = "not a url"
  }
  expect_failures = [var.endpoint_url]
}

run "subnets_of_your_own_without_a_route_to_kms" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "own-no-kms"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a", "reaches": ["s3", "kms"]}, {"id": "subnet-0123456789abcdef1", "availability_zone": "us-east-1b", "reaches": ["s3", "logs"]}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.subnets]
}

run "subnets_of_your_own_without_a_route_to_s3" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "own-no-s3"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a", "reaches": ["kms"]}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.subnets]
}

run "subnets_without_security_groups" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "no-sg"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a"}]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.security_group_ids]
}

run "vpc_mode_without_subnets" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "no-subnets"
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.network_mode]
}

run "none_mode_with_subnets" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "none-subnets"
    network_mode = "none"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a"}]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.network_mode]
}

run "none_mode_with_security_groups" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "none-sgs"
    network_mode = "none"
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.security_group_ids]
}

run "subnet_in_another_region" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "far-subnet"
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "eu-west-1a"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.subnets]
}

run "subnet_too_small" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "small-subnet"
    jobs = {"big": {"script": "1_data_cleansing.py", "number_of_workers": 10}}
    workflow_job_order = ["big"]
    subnets = [{"id": "subnet-0123456789abcdef0", "availability_zone": "us-east-1a", "cidr_block": "10.0.0.0/28"}]
    security_group_ids = ["sg-0123456789abcdef0"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [aws_glue_job.this]
}

run "script_missing" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "ghost"
    network_mode = "none"
    jobs = {"ghost": {"script": "no_such_script.py"}}
    workflow_job_order = ["ghost"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.jobs]
}

run "workflow_order_unknown_job" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-order"
    network_mode = "none"
    workflow_job_order = ["customer-data-cleansing", "reports"]
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [var.workflow_job_order]
}

run "schedule_fields_out_of_range" {
  command = plan
  module {
    source = "../../infra/modules/glue"
  }
  variables {
    name_prefix = "bad-cron"
    network_mode = "none"
    workflow_schedule = "cron(99 99 * * * *)"
    scripts_dir = "../../glue_scripts"
  }
  expect_failures = [aws_glue_trigger.start]
}

run "zones_of_another_region" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "far-zones"
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }
  expect_failures = [var.availability_zones]
}

run "az_count_beyond_listed_zones" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "few-zones"
    az_count = 3
    availability_zones = ["us-east-1a"]
  }
  expect_failures = [var.az_count]
}

run "az_count_beyond_derived_zones" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "six-zones"
    az_count = 6
  }
  expect_failures = [var.az_count]
}

run "subnets_smaller_than_aws_minimum" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "tiny-subnets"
    cidr_block = "10.0.0.0/24"
    subnet_newbits = 8
  }
  expect_failures = [var.subnet_newbits]
}

run "newbits_too_few_for_zones" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "crowded"
    subnet_newbits = 2
    az_count = 3
  }
  expect_failures = [var.subnet_newbits]
}

run "public_cidrs_without_nat" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "no-nat-public"
    public_subnet_cidrs = ["10.0.128.0/20", "10.0.144.0/20"]
  }
  expect_failures = [var.public_subnet_cidrs]
}

run "private_subnets_overlap" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "overlap"
    private_subnet_cidrs = ["10.0.0.0/20", "10.0.8.0/21"]
  }
  expect_failures = [aws_vpc.this]
}

run "private_subnets_overlap_derived_public" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "overlap-public"
    enable_nat_gateway = true
    private_subnet_cidrs = ["10.0.128.0/20", "10.0.144.0/20"]
  }
  expect_failures = [aws_vpc.this]
}

run "private_subnet_outside_vpc" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "outside"
    private_subnet_cidrs = ["10.1.0.0/20", "10.0.16.0/20"]
  }
  expect_failures = [aws_vpc.this]
}

run "private_subnet_too_small" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "small-private"
    private_subnet_cidrs = ["10.0.0.0/29", "10.0.0.16/28"]
  }
  expect_failures = [aws_vpc.this]
}

run "private_subnet_host_bits" {
  command = plan
  module {
    source = "../../infra/modules/vpc"
  }
  variables {
    name = "subnet-host-bits"
    private_subnet_cidrs = ["10.0.1.0/20", "10.0.16.0/20"]
  }
  expect_failures = [aws_vpc.this]
}
