"""The nightly reconciliation with the national portal queues an event again as a new PortalSync row (origin
"reconcile"): one event may now have several rows, at most one of them unfinished; indexes for its window
(rows queued or sent since the last run) and for indicator 1d (dossiers an agency received in a period)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0009_portal_sync_backoff_and_sent_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='portalsync',
            name='origin',
            field=models.CharField(choices=[('event', 'Dossier event'), ('reconcile', 'Nightly reconciliation')], default='event', max_length=10),
        ),
        migrations.AlterField(
            model_name='portalsync',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='portal_syncs', to='dossiers.dossierevent'),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(fields=['competent_agency', 'received_at'], name='dossier_received'),
        ),
        migrations.AddIndex(
            model_name='portalsync',
            index=models.Index(fields=['created_at'], name='portal_sync_created'),
        ),
        migrations.AddIndex(
            model_name='portalsync',
            index=models.Index(fields=['sent_at'], name='portal_sync_sent'),
        ),
        migrations.AddConstraint(
            model_name='portalsync',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['pending', 'failed'])), fields=('event',), name='portal_sync_one_open_per_event'),
        ),
    ]
