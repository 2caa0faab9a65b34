package assign_test

import (
	"context"
	"log"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/reckon-dev/reckon/beam/assign"
)

// A job that labels every CSV shard under gs://my-bucket/tracks/ with a
// model saved by save(why, to="tracks.reckon") and copied to the bucket;
// beamx.Run runs it on the runner --runner names (Prism by default).
func ExampleApply() {
	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	if _, err := assign.Apply(ctx, s, assign.Options{
		Model:  "gs://my-bucket/models/tracks.reckon",
		Input:  "gs://my-bucket/tracks/part-*.csv",
		Output: "gs://my-bucket/labelled/tracks",
	}); err != nil {
		log.Fatal(err)
	}
	if err := beamx.Run(ctx, p); err != nil {
		log.Fatal(err)
	}
}
