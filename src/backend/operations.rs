//! The AWS service each operation opsdeck calls belongs to, so that messages can name the
//! operation the way IAM policies and AWS's own errors do (`ecs:DescribeServices`).

/// `ecs:DescribeServices` for `"DescribeServices"`; the bare name for an operation not listed.
pub fn action(operation: &str) -> String {
    match service(operation) {
        Some(service) => format!("{service}:{operation}"),
        None => operation.to_string(),
    }
}

fn service(operation: &str) -> Option<&'static str> {
    let service = match operation {
        "ListClusters"
        | "DescribeClusters"
        | "ListServices"
        | "DescribeServices"
        | "ListTasks"
        | "DescribeTasks"
        | "DescribeTaskDefinition"
        | "ListTaskDefinitions"
        | "ListContainerInstances"
        | "DescribeContainerInstances"
        | "DescribeCapacityProviders"
        | "UpdateService"
        | "StopTask"
        | "ExecuteCommand" => "ecs",
        "DescribeInstances" => "ec2",
        "DescribeLogGroups" | "DescribeLogStreams" | "FilterLogEvents" | "GetLogEvents"
        | "StartLiveTail" => "logs",
        "DescribeAutoScalingGroups" | "SetDesiredCapacity" => "autoscaling",
        "GetCallerIdentity" => "sts",
        _ => return None,
    };
    Some(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_by_service() {
        assert_eq!(action("DescribeServices"), "ecs:DescribeServices");
        assert_eq!(action("FilterLogEvents"), "logs:FilterLogEvents");
        assert_eq!(action("Unheard"), "Unheard");
    }
}
