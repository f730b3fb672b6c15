using Confluent.Kafka;
using Gateway.ClusterCommon.Kafka;

namespace Gateway.Cluster.Tests.Kafka;

public sealed class PartitionOffsetTrackerTests
{
    private static readonly TopicPartition Partition = new("t", 0);

    [Fact]
    public void Finish_OutOfOrder_CommitNeverPassesAnUnfinishedRecord()
    {
        var tracker = new PartitionOffsetTracker();
        foreach (var offset in new long[] { 10, 11, 12 })
        {
            tracker.Start(new TopicPartitionOffset(Partition, offset));
        }

        Assert.Null(tracker.Finish(new TopicPartitionOffset(Partition, 12)));
        Assert.Null(tracker.Finish(new TopicPartitionOffset(Partition, 11)));
        Assert.Equal(13, tracker.Finish(new TopicPartitionOffset(Partition, 10))!.Value.Value);
        Assert.Equal(0, tracker.InFlight);
    }

    [Fact]
    public void Finish_LowestFirst_CommitsUpToTheNextInProgress()
    {
        var tracker = new PartitionOffsetTracker();
        tracker.Start(new TopicPartitionOffset(Partition, 3));
        tracker.Start(new TopicPartitionOffset(Partition, 4));
        Assert.Equal(4, tracker.Finish(new TopicPartitionOffset(Partition, 3))!.Value.Value);
        Assert.Equal(1, tracker.InFlightOn(Partition));
    }

    [Fact]
    public void Finish_AfterForget_IsIgnored()
    {
        var tracker = new PartitionOffsetTracker();
        tracker.Start(new TopicPartitionOffset(Partition, 1));
        tracker.Forget(Partition);
        Assert.Null(tracker.Finish(new TopicPartitionOffset(Partition, 1)));
    }

    [Fact]
    public void Start_SameOffsetTwice_CommitsOnlyWhenBothFinished()
    {
        var tracker = new PartitionOffsetTracker();
        tracker.Start(new TopicPartitionOffset(Partition, 7));
        tracker.Start(new TopicPartitionOffset(Partition, 7));
        Assert.Null(tracker.Finish(new TopicPartitionOffset(Partition, 7)));
        Assert.Equal(8, tracker.Finish(new TopicPartitionOffset(Partition, 7))!.Value.Value);
    }
}
