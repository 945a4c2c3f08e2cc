#!/usr/bin/env python3
"""Seed a realistic ECS/EC2/CloudWatch Logs/Auto Scaling fleet into a moto server.

Run with the repository's venv python (scripts/lib.sh creates it):

    .venv/bin/python scripts/seed_fleet.py --endpoint http://127.0.0.1:PORT --size demo

Sizes:
  demo   4 clusters, 17 services (FARGATE and EC2), 41 RUNNING tasks, EC2 container
         instances from Auto Scaling groups, log groups/streams with events. Used by
         scripts/demo.sh and by the end-to-end tests (with --prefix).
  bench  20 clusters: 19 x 50 services plus one with 250, 5,000 RUNNING tasks,
         200 EC2 container instances.
  small  1 cluster, 2 services, 3 tasks.

moto is a state store, not a scheduler, so the seeder plays the scheduler: every
service's tasks are started with RunTask(group='service:NAME',
startedBy=<the service's deployment id>). Healthy services get
UpdateService(desiredCount=n) so that runningCount == desiredCount; "degraded"
services skip it and keep moto's initial runningCount (env MOTO_ECS_SERVICE_RUNNING
of the server, default 0) -- the seeder starts exactly that many tasks for them and
leaves a few STOPPED tasks with a stop reason.

Cluster names are chosen so that none is a substring of another (moto matches
cluster names as substrings in ListServices/ListTasks). Give different seeds
prefixes that cannot occur inside one another.

Prints a one-line summary; exits non-zero on any failure. Re-running against a
server that already holds the seed (same --prefix and --size) prints a note and
exits 0 without creating duplicates.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

ACCOUNT_ID = "123456789012"  # moto's default account


# --------------------------------------------------------------------------- plan


@dataclass
class ServiceSpec:
    name: str
    launch_type: str  # FARGATE | EC2
    desired: int
    kind: str  # web | worker | batch | proxy
    image: str
    family: str = ""  # task definition family (without prefix); defaults to name
    degraded: bool = False  # running < desired
    running: int | None = None  # tasks to start (bench); default = desired
    sidecar: bool = False  # second container (log router)

    def fam(self) -> str:
        return self.family or self.name


@dataclass
class AsgSpec:
    instances: int
    instance_type: str


@dataclass
class ClusterSpec:
    name: str
    services: list[ServiceSpec]
    asg: AsgSpec | None = None
    tags: dict[str, str] = field(default_factory=dict)


def demo_plan() -> tuple[list[ClusterSpec], dict]:
    repo = "acme"  # image namespace; no registry host
    S = ServiceSpec
    clusters = [
        ClusterSpec(
            "payments-prod",
            asg=AsgSpec(3, "m5.large"),
            tags={"env": "prod", "team": "payments"},
            services=[
                S("payments-api", "EC2", 4, "web", f"{repo}/payments-api:2.14.3", sidecar=True),
                S("payments-worker", "EC2", 3, "worker", f"{repo}/payments-worker:2.14.3"),
                S(
                    "ledger-reconciliation-and-settlement-batch-processor-eu-west-1",
                    "EC2",
                    2,
                    "batch",
                    f"{repo}/ledger-reconciliation:0.9.12",
                    family="ledger-reconciliation",
                ),
                S("fraud-scoring", "FARGATE", 3, "web", f"{repo}/fraud-scoring:1.3.0", degraded=True),
                S("café-api", "FARGATE", 2, "web", f"{repo}/cafe-api:0.4.1", family="cafe-api"),
            ],
        ),
        ClusterSpec(
            "search-staging",
            tags={"env": "staging", "team": "search"},
            services=[
                S("search-api", "FARGATE", 4, "web", f"{repo}/search-api:5.0.0-rc.2"),
                S("search-indexer", "FARGATE", 2, "worker", f"{repo}/search-indexer:5.0.0-rc.2"),
                S("query-suggest", "FARGATE", 2, "web", f"{repo}/query-suggest:1.8.4"),
                S("opensearch-proxy", "FARGATE", 2, "proxy", "nginx:1.27"),
            ],
        ),
        ClusterSpec(
            "platform-tools",
            asg=AsgSpec(2, "t3.xlarge"),
            tags={"env": "shared", "team": "platform"},
            services=[
                S("grafana", "EC2", 2, "web", "grafana/grafana:11.2.0"),
                S("prometheus", "EC2", 2, "worker", "prom/prometheus:v2.54.1"),
                S("alertmanager", "EC2", 3, "worker", "prom/alertmanager:v0.27.0"),
                S("oauth2-proxy", "FARGATE", 2, "proxy", "oauth2-proxy/oauth2-proxy:v7.6.0"),
                S("jenkins-agent", "FARGATE", 4, "worker", "jenkins/inbound-agent:3256.v88a_f6e922152-1", degraded=True),
            ],
        ),
        ClusterSpec(
            "data-pipeline",
            tags={"env": "prod", "team": "data"},
            services=[
                S("kafka-connect", "FARGATE", 3, "worker", f"{repo}/kafka-connect:7.6.1"),
                S("etl-scheduler", "FARGATE", 2, "batch", f"{repo}/etl-scheduler:3.2.0"),
                S("event-ingest", "FARGATE", 6, "web", f"{repo}/event-ingest:4.11.0", sidecar=True),
            ],
        ),
    ]
    standalone = {
        # Name -> (instance type, state after launch)
        "bastion-eu-west-1a": ("t3.micro", "running"),
        "ci-runner-01": ("c5.2xlarge", "stopped"),
    }
    return clusters, {"standalone": standalone, "log_events": 8, "stopped_per_degraded": 2}


def small_plan() -> tuple[list[ClusterSpec], dict]:
    return [
        ClusterSpec(
            "small-fleet",
            tags={"env": "test"},
            services=[
                ServiceSpec("hello-api", "FARGATE", 2, "web", "nginx:1.27"),
                ServiceSpec("hello-worker", "FARGATE", 1, "worker", "busybox:1.36"),
            ],
        )
    ], {"standalone": {}, "log_events": 5, "stopped_per_degraded": 0}


BENCH_TASKS = 5000
BENCH_WORDS = [
    "api", "worker", "gateway", "auth", "billing", "cart", "catalog", "checkout", "search",
    "notify", "profile", "orders", "inventory", "shipping", "pricing", "reviews", "media",
    "ledger", "reports", "export", "import", "scheduler", "events", "audit", "sessions",
]


def bench_plan() -> tuple[list[ClusterSpec], dict]:
    clusters: list[ClusterSpec] = []
    # 19 clusters of 50 services + one "wide" cluster of 250. Names of equal shape
    # ("bench-c01".."bench-c19", "bench-wide") so none is a substring of another.
    for c in range(20):
        if c == 19:
            name, n_services = "bench-wide", 250
        else:
            name, n_services = f"bench-c{c + 1:02d}", 50
        ec2_backed = c in (0, 5, 10, 15)  # 4 clusters x 50 instances = 200 instances
        services = []
        for s in range(n_services):
            word = BENCH_WORDS[s % len(BENCH_WORDS)]
            lt = "EC2" if ec2_backed and s % 2 == 0 else "FARGATE"
            kind = "worker" if s % 3 == 1 else "web"
            services.append(
                ServiceSpec(
                    f"{word}-{s + 1:03d}",
                    lt,
                    0,  # filled in below
                    kind,
                    f"acme/{word}:1.{s % 7}.{c}",
                    family=f"{name}-{kind}-{lt.lower()}",
                    degraded=(s % 25 == 7),
                )
            )
        clusters.append(
            ClusterSpec(
                name,
                services,
                asg=AsgSpec(50, "c5.2xlarge") if ec2_backed else None,
                tags={"env": "bench"},
            )
        )
    # Spread exactly BENCH_TASKS tasks over the healthy services.
    healthy = [s for cl in clusters for s in cl.services if not s.degraded]
    base, extra = divmod(BENCH_TASKS, len(healthy))
    for i, s in enumerate(healthy):
        s.desired = base + (1 if i < extra else 0)
    for cl in clusters:
        for s in cl.services:
            if s.degraded:
                s.desired = 3
    return clusters, {"standalone": {}, "log_events": 20, "stopped_per_degraded": 0,
                      # logs for the first task of 3 services per cluster only (keeps the seed fast)
                      "log_stream_services": 3, "log_tasks_per_service": 1}


PLANS = {"demo": demo_plan, "bench": bench_plan, "small": small_plan}


# ------------------------------------------------------------------------ logging

LEVELS = ["INFO"] * 8 + ["DEBUG"] * 3 + ["WARN"] * 2 + ["ERROR"]
PATHS = ["/healthz", "/v1/orders", "/v1/orders/{id}", "/v1/payments", "/v1/search?q=shoes",
         "/v1/users/{id}", "/metrics", "/v1/cart", "/v1/suggest?q=caf", "/v1/events"]
JOBS = ["settle-batch", "send-receipt", "reindex-shard", "sync-catalog", "expire-sessions",
        "compact-segments", "refresh-tokens", "rollup-metrics"]


def log_lines(rng: random.Random, svc: ServiceSpec, container: str, n: int, version: str,
              force_error: bool = False) -> list[str]:
    """Realistic lines; with force_error the second-to-last line is an ERROR (for tests)."""
    if container == "log-router":
        lines = ["[fluent bit] version=3.0.7, commit=73e72bdf9b, pid=1",
                 "[ info] [output:cloudwatch_logs:cloudwatch_logs.0] worker #0 started"]
        while len(lines) < n:
            lines.append(f"[ info] [output:cloudwatch_logs:cloudwatch_logs.0] flushed {rng.randint(3, 400)} records")
        return lines[:n]
    lines = [f"INFO  starting {svc.name} version={version} pid=1",
             f"INFO  configuration loaded: LOG_LEVEL=info listen=0.0.0.0:{8080 if svc.kind == 'web' else 9090}"]
    while len(lines) < n:
        level = rng.choice(LEVELS)
        if svc.kind in ("web", "proxy"):
            path = rng.choice(PATHS).replace("{id}", str(rng.randint(1000, 99999)))
            status = 200 if level in ("INFO", "DEBUG") else (429 if level == "WARN" else 503)
            method = "POST" if path in ("/v1/orders", "/v1/payments", "/v1/events") and rng.random() < 0.6 else "GET"
            lines.append(f"{level:<5} {method} {path} status={status} duration_ms={rng.randint(2, 900)} "
                         f"request_id={rng.getrandbits(64):016x}")
        else:
            job = rng.choice(JOBS)
            if level == "ERROR":
                lines.append(f"ERROR job={job} attempt={rng.randint(1, 5)} failed: connection reset by peer")
            elif level == "WARN":
                lines.append(f"WARN  job={job} slow: took {rng.randint(5, 60)}s (threshold 5s)")
            else:
                lines.append(f"{level:<5} job={job} processed={rng.randint(1, 5000)} "
                             f"duration_ms={rng.randint(10, 9000)}")
    lines = lines[:n]
    if force_error and n >= 3:
        lines[-2] = ("ERROR upstream request failed: dial tcp 10.0.3.17:5432: i/o timeout (retrying in 2s)"
                     if svc.kind in ("web", "proxy") else
                     "ERROR job=settle-batch attempt=3 failed: deadline exceeded after 30s")
    return lines


# ------------------------------------------------------------------------- seeder


class Seeder:
    def __init__(self, endpoint: str, region: str, prefix: str, size: str, workers: int):
        cfg = Config(
            region_name=region,
            retries={"max_attempts": 2, "mode": "standard"},
            max_pool_connections=max(10, workers * 2),
            connect_timeout=5,
            read_timeout=60,
        )
        session = boto3.session.Session(
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
            region_name=region,
        )
        self.ecs = session.client("ecs", endpoint_url=endpoint, config=cfg)
        self.ec2 = session.client("ec2", endpoint_url=endpoint, config=cfg)
        self.logs = session.client("logs", endpoint_url=endpoint, config=cfg)
        self.asg = session.client("autoscaling", endpoint_url=endpoint, config=cfg)
        self.region = region
        self.prefix = prefix
        self.size = size
        self.workers = workers
        self.counts = {k: 0 for k in ("clusters", "services", "running_tasks", "stopped_tasks",
                                      "task_definitions", "container_instances", "ec2_instances",
                                      "asgs", "log_groups", "log_streams", "log_events")}
        self._lock = threading.Lock()
        self.manifest: dict = {"prefix": prefix, "size": size, "region": region, "clusters": []}

    def count(self, key: str, n: int = 1) -> None:
        with self._lock:  # clusters may be seeded from several threads
            self.counts[key] += n

    def p(self, name: str) -> str:
        return f"{self.prefix}{name}"

    # -- network -----------------------------------------------------------------
    def network(self) -> None:
        vpcs = self.ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
        if not vpcs:
            raise RuntimeError("moto has no default VPC")
        vpc = vpcs[0]["VpcId"]
        subnets = self.ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
        self.subnets = [s["SubnetId"] for s in sorted(subnets, key=lambda s: s["AvailabilityZone"])]
        sgs = self.ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]
        self.security_group = sgs[0]["GroupId"]
        # awsvpc in moto: default VPC subnets AND securityGroups, or RunTask answers HTTP 500.
        self.awsvpc = {
            "awsvpcConfiguration": {
                "subnets": self.subnets,
                "securityGroups": [self.security_group],
                "assignPublicIp": "DISABLED",
            }
        }
        images = self.ec2.describe_images(
            Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-ecs-hvm-*x86_64-ebs"]}]
        )["Images"]
        self.ami = sorted(images, key=lambda i: i["Name"])[-1]["ImageId"] if images else "ami-12c6146b"

    # -- already seeded? ------------------------------------------------------------
    def already_seeded(self, clusters: list[ClusterSpec]) -> bool:
        names = [self.p(c.name) for c in clusters]
        found = self.ecs.describe_clusters(clusters=names)["clusters"]
        active = [c for c in found if c.get("status") == "ACTIVE"]
        if not active:
            return False
        if len(active) != len(names):
            raise RuntimeError(
                f"{len(active)} of {len(names)} clusters of this seed already exist (a partial seed?); "
                "use another --prefix or reset the server (POST /moto-api/reset)"
            )
        return True

    # -- task definitions ----------------------------------------------------------
    def register_family(self, svc: ServiceSpec) -> str:
        family = self.p(svc.fam())
        group = f"/ecs/{family}"
        fargate = svc.launch_type == "FARGATE"
        # moto needs memory or memoryReservation on EVERY container (else HTTP 500
        # on RunTask), and sums container-level cpu/memory for EC2 placement: an
        # EC2 instance registers 4096 CPU units / 7482 MiB.
        cpu, mem = (512, 1024) if svc.kind in ("web", "proxy") else (1024, 2048)
        if not fargate:
            cpu, mem = 1024, 1024  # 4 tasks per container instance
        log_cfg = {
            "logDriver": "awslogs",
            "options": {
                "awslogs-group": group,
                "awslogs-region": self.region,
                "awslogs-stream-prefix": "ecs",
            },
        }
        app = {
            "name": "app" if svc.kind != "proxy" else "proxy",
            "image": svc.image,
            "essential": True,
            "cpu": cpu - (64 if svc.sidecar else 0),
            "memory": mem - (128 if svc.sidecar else 0),
            "environment": [
                {"name": "SERVICE_NAME", "value": svc.name},
                {"name": "LOG_LEVEL", "value": "info"},
            ],
            "logConfiguration": log_cfg,
        }
        if svc.kind in ("web", "proxy"):
            port = 8080 if svc.kind == "web" else 80
            # no hostPort: dynamic host ports, so several tasks fit on one instance
            app["portMappings"] = [{"containerPort": port, "protocol": "tcp"}]
        containers = [app]
        if svc.sidecar:
            containers.append({
                "name": "log-router",
                "image": "amazon/aws-for-fluent-bit:2.32.2",
                "essential": False,
                "cpu": 64,
                "memoryReservation": 128,
                "logConfiguration": log_cfg,
            })
        kwargs = dict(
            family=family,
            containerDefinitions=containers,
            networkMode="awsvpc" if fargate else "bridge",
            requiresCompatibilities=[svc.launch_type],
            cpu=str(cpu),
            memory=str(mem),
            executionRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/ecsTaskExecutionRole",
            tags=[{"key": "opsdeck-seed", "value": self.size}],
        )
        if svc.kind in ("web", "proxy"):
            kwargs["taskRoleArn"] = f"arn:aws:iam::{ACCOUNT_ID}:role/{family[:40]}-task"
        td = self.ecs.register_task_definition(**kwargs)["taskDefinition"]
        self.count("task_definitions", 1)
        return td["taskDefinitionArn"]

    # -- EC2 capacity --------------------------------------------------------------
    def ec2_capacity(self, cl: ClusterSpec) -> list[str]:
        """Launch template + Auto Scaling group; register its instances as container instances."""
        assert cl.asg is not None
        cname = self.p(cl.name)
        lt_name = f"{cname}-ecs"
        self.ec2.create_launch_template(
            LaunchTemplateName=lt_name,
            LaunchTemplateData={
                "ImageId": self.ami,
                "InstanceType": cl.asg.instance_type,
                "UserData": base64.b64encode(
                    f"#!/bin/bash\necho ECS_CLUSTER={cname} >> /etc/ecs/ecs.config\n".encode()
                ).decode(),
            },
        )
        asg_name = f"{cname}-ecs-asg"
        self.asg.create_auto_scaling_group(
            AutoScalingGroupName=asg_name,
            LaunchTemplate={"LaunchTemplateName": lt_name, "Version": "$Latest"},
            MinSize=1,
            MaxSize=max(cl.asg.instances * 2, 4),
            DesiredCapacity=cl.asg.instances,
            VPCZoneIdentifier=",".join(self.subnets),
            Tags=[
                {"Key": "Name", "Value": f"{cname}-ecs", "PropagateAtLaunch": True},
                {"Key": "ecs-cluster", "Value": cname, "PropagateAtLaunch": True},
            ]
            + [{"Key": k, "Value": v, "PropagateAtLaunch": True} for k, v in cl.tags.items()],
        )
        self.count("asgs", 1)
        group = self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=[asg_name])["AutoScalingGroups"][0]
        ids = sorted(i["InstanceId"] for i in group["Instances"])
        if len(ids) != cl.asg.instances:
            raise RuntimeError(f"ASG {asg_name}: {len(ids)} instances, expected {cl.asg.instances}")
        details = {}
        for page in self.ec2.get_paginator("describe_instances").paginate(InstanceIds=ids):
            for res in page["Reservations"]:
                for inst in res["Instances"]:
                    details[inst["InstanceId"]] = inst
        arns = []
        for n, iid in enumerate(ids, start=1):
            # Give each node a distinct Name (the ASG tag is shared) so hosts can be told apart.
            self.ec2.create_tags(Resources=[iid], Tags=[{"Key": "Name", "Value": f"{cname}-ecs-{n:02d}"}])
            inst = details[iid]
            doc = {
                "accountId": ACCOUNT_ID,
                "architecture": "x86_64",
                "availabilityZone": inst["Placement"]["AvailabilityZone"],
                "imageId": inst["ImageId"],
                "instanceId": iid,  # moto reads only this field
                "instanceType": inst["InstanceType"],
                "privateIp": inst.get("PrivateIpAddress", ""),
                "region": self.region,
                "version": "2017-09-30",
            }
            ci = self.ecs.register_container_instance(
                cluster=cname,
                instanceIdentityDocument=json.dumps(doc),
                instanceIdentityDocumentSignature="moto-does-not-check",
                versionInfo={"agentVersion": "1.86.3", "agentHash": "a1b2c3d4", "dockerVersion": "DockerVersion: 25.0.6"},
            )["containerInstance"]
            arns.append(ci["containerInstanceArn"])
        self.count("ec2_instances", len(ids))
        self.count("container_instances", len(arns))
        return arns

    def standalone_instances(self, spec: dict) -> None:
        for name, (itype, state) in spec.items():
            inst = self.ec2.run_instances(
                ImageId=self.ami,
                InstanceType=itype,
                MinCount=1,
                MaxCount=1,
                SubnetId=self.subnets[0],
                TagSpecifications=[{
                    "ResourceType": "instance",
                    "Tags": [{"Key": "Name", "Value": self.p(name)}, {"Key": "role", "Value": name.split("-")[0]}],
                }],
            )["Instances"][0]
            if state == "stopped":
                self.ec2.stop_instances(InstanceIds=[inst["InstanceId"]])
            self.count("ec2_instances", 1)

    # -- clusters, services, tasks ---------------------------------------------------
    def seed_cluster(self, cl: ClusterSpec, opts: dict) -> dict:
        cname = self.p(cl.name)
        self.ecs.create_cluster(
            clusterName=cname,
            tags=[{"key": "opsdeck-seed", "value": self.size}] + [{"key": k, "value": v} for k, v in cl.tags.items()],
            settings=[{"name": "containerInsights", "value": "enabled" if cl.tags.get("env") == "prod" else "disabled"}],
        )
        self.count("clusters", 1)
        if cl.asg:
            self.ec2_capacity(cl)
        families: dict[str, str] = {}
        out = {"name": cname, "services": []}
        rng = random.Random(f"{self.prefix}{cl.name}")
        log_budget = opts.get("log_stream_services", 10**9)
        for svc in cl.services:
            if svc.fam() not in families:
                families[svc.fam()] = self.register_family(svc)
                self.ensure_log_group(self.p(svc.fam()))
            td_arn = families[svc.fam()]
            kwargs = dict(
                cluster=cname,
                serviceName=svc.name,
                taskDefinition=td_arn,
                desiredCount=svc.desired,
                launchType=svc.launch_type,
                deploymentConfiguration={"maximumPercent": 200, "minimumHealthyPercent": 100},
                propagateTags="SERVICE",
                tags=[{"key": "opsdeck-seed", "value": self.size}],
            )
            if svc.launch_type == "FARGATE":
                kwargs["networkConfiguration"] = self.awsvpc
                kwargs["platformVersion"] = "LATEST"
            service = self.ecs.create_service(**kwargs)["service"]
            self.count("services", 1)
            deployment = (service.get("deployments") or [{}])[0].get("id") or f"ecs-svc/{rng.getrandbits(60)}"
            if svc.degraded:
                n_tasks = service.get("runningCount", 0)  # what moto reports: keep tasks consistent
            else:
                n_tasks = svc.desired
                self.ecs.update_service(cluster=cname, service=svc.name, desiredCount=svc.desired)
            task_arns = self.run_tasks(cname, svc, td_arn, deployment, n_tasks)
            stopped = []
            if svc.degraded and opts.get("stopped_per_degraded"):
                stopped = self.stopped_tasks(cname, svc, td_arn, deployment, opts["stopped_per_degraded"])
            if log_budget > 0 and (task_arns or stopped):
                logged = (task_arns + stopped)[: opts.get("log_tasks_per_service", 10**9)]
                self.write_logs(rng, svc, logged, opts["log_events"])
                log_budget -= 1
            out["services"].append({
                "name": svc.name,
                "launchType": svc.launch_type,
                "desiredCount": svc.desired,
                "runningCount": n_tasks,
                "degraded": svc.degraded,
                "taskDefinition": td_arn,
                "logGroup": f"/ecs/{self.p(svc.fam())}",
                "tasks": task_arns,
                "stoppedTasks": stopped,
            })
        return out

    def run_tasks(self, cname: str, svc: ServiceSpec, td_arn: str, deployment: str, n: int) -> list[str]:
        arns: list[str] = []
        while len(arns) < n:
            count = min(10, n - len(arns))
            kwargs = dict(
                cluster=cname,
                taskDefinition=td_arn,
                count=count,
                launchType=svc.launch_type,
                group=f"service:{svc.name}",
                startedBy=deployment,
            )
            if svc.launch_type == "FARGATE":
                kwargs["networkConfiguration"] = self.awsvpc
                kwargs["platformVersion"] = "1.4.0"
            resp = self.ecs.run_task(**kwargs)
            got = [t["taskArn"] for t in resp.get("tasks", [])]
            if resp.get("failures") or len(got) != count:
                raise RuntimeError(
                    f"RunTask {cname}/{svc.name}: asked {count}, got {len(got)} "
                    f"(EC2 capacity exhausted?) failures={resp.get('failures')}"
                )
            arns.extend(got)
        self.count("running_tasks", len(arns))
        return arns

    def stopped_tasks(self, cname: str, svc: ServiceSpec, td_arn: str, deployment: str, n: int) -> list[str]:
        reasons = [
            "Essential container in task exited",
            "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:"
            f"eu-west-1:{ACCOUNT_ID}:targetgroup/{svc.name[:20]}/6d0ecf831eec9f09)",
        ]
        arns = []
        for i in range(n):
            kwargs = dict(cluster=cname, taskDefinition=td_arn, count=1, launchType=svc.launch_type,
                          group=f"service:{svc.name}", startedBy=deployment)
            if svc.launch_type == "FARGATE":
                kwargs["networkConfiguration"] = self.awsvpc
            arn = self.ecs.run_task(**kwargs)["tasks"][0]["taskArn"]
            self.ecs.stop_task(cluster=cname, task=arn, reason=reasons[i % len(reasons)])
            arns.append(arn)
        self.count("stopped_tasks", len(arns))
        return arns

    # -- logs ------------------------------------------------------------------------
    def ensure_log_group(self, family: str) -> None:
        group = f"/ecs/{family}"
        try:
            self.logs.create_log_group(logGroupName=group, tags={"opsdeck-seed": self.size})
            self.logs.put_retention_policy(logGroupName=group, retentionInDays=30)
            self.count("log_groups", 1)
        except ClientError as e:
            if e.response["Error"]["Code"] != "ResourceAlreadyExistsException":
                raise

    def write_logs(self, rng: random.Random, svc: ServiceSpec, task_arns: list[str], n_events: int) -> None:
        group = f"/ecs/{self.p(svc.fam())}"
        containers = ["app" if svc.kind != "proxy" else "proxy"] + (["log-router"] if svc.sidecar else [])
        version = svc.image.rsplit(":", 1)[-1]
        now_ms = int(time.time() * 1000)
        for t_i, arn in enumerate(task_arns):
            task_id = arn.rsplit("/", 1)[-1]
            start = now_ms - rng.randint(5, 55) * 60_000 - t_i * 1000
            for container in containers:
                stream = f"ecs/{container}/{task_id}"
                self.logs.create_log_stream(logGroupName=group, logStreamName=stream)
                lines = log_lines(rng, svc, container, n_events, version, force_error=(t_i == 0))
                step = max(1, (now_ms - 5_000 - start) // max(1, len(lines)))
                events = [{"timestamp": start + i * step + rng.randint(0, step // 2), "message": m}
                          for i, m in enumerate(lines)]
                events.sort(key=lambda e: e["timestamp"])
                self.logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)
                self.count("log_streams", 1)
                self.count("log_events", len(events))

    # -- main ------------------------------------------------------------------------
    def run(self, manifest_path: str | None) -> int:
        t0 = time.monotonic()
        clusters, opts = PLANS[self.size]()
        names = [c.name for c in clusters]
        for a in names:
            for b in names:
                if a != b and a in b:
                    raise RuntimeError(f"cluster name {a!r} is a substring of {b!r}")
        if self.already_seeded(clusters):
            print(f"seed_fleet: {self.size} fleet with prefix {self.prefix!r} already present; nothing to do")
            return 0
        self.network()
        self.standalone_instances(opts.get("standalone", {}))
        if self.workers > 1 and len(clusters) > 1:
            # One cluster per worker thread: moto keeps per-cluster state, so
            # clusters seeded in parallel never touch the same records.
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                results = list(pool.map(lambda c: self.seed_cluster(c, opts), clusters))
        else:
            results = [self.seed_cluster(c, opts) for c in clusters]
        self.manifest["clusters"] = results
        self.manifest["counts"] = self.counts
        if manifest_path:
            with open(manifest_path, "w", encoding="utf-8") as f:
                json.dump(self.manifest, f, indent=1, ensure_ascii=False)
        c = self.counts
        print(
            f"seed_fleet: size={self.size} prefix={self.prefix!r} clusters={c['clusters']} "
            f"services={c['services']} running_tasks={c['running_tasks']} stopped_tasks={c['stopped_tasks']} "
            f"task_definitions={c['task_definitions']} container_instances={c['container_instances']} "
            f"ec2_instances={c['ec2_instances']} asgs={c['asgs']} log_groups={c['log_groups']} "
            f"log_streams={c['log_streams']} log_events={c['log_events']} "
            f"elapsed={time.monotonic() - t0:.1f}s"
        )
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", required=True, help="moto URL, e.g. http://127.0.0.1:PORT")
    ap.add_argument("--region", default="eu-west-1")
    ap.add_argument("--size", choices=sorted(PLANS), default="demo")
    ap.add_argument("--prefix", default="", help="prepended to cluster, family, ASG and instance names")
    ap.add_argument("--manifest", help="write a JSON description of what was created to this file")
    ap.add_argument("--workers", type=int, default=None,
                    help="parallel clusters (default: 4 for bench, 1 otherwise)")
    args = ap.parse_args()
    workers = args.workers if args.workers is not None else (4 if args.size == "bench" else 1)
    try:
        return Seeder(args.endpoint, args.region, args.prefix, args.size, workers).run(args.manifest)
    except (ClientError, BotoCoreError, RuntimeError, KeyError, IndexError) as e:
        print(f"seed_fleet: FAILED: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
