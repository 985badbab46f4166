# How the applicant receives the result (motcua.dossiers.delivery): existing dossiers in person.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0009_signature_state'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='delivery_address',
            field=models.CharField(blank=True, max_length=500, verbose_name='địa chỉ nhận kết quả qua bưu chính'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='postal_tracking_number',
            field=models.CharField(blank=True, max_length=40, verbose_name='số hiệu bưu gửi'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='result_delivery',
            field=models.CharField(choices=[('in_person', 'Nhận trực tiếp tại bộ phận một cửa'), ('post', 'Nhận qua dịch vụ bưu chính công ích'), ('online', 'Nhận trực tuyến (tải kết quả điện tử trong tài khoản)')], default='in_person', max_length=10, verbose_name='hình thức nhận kết quả'),
        ),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.CheckConstraint(condition=models.Q(('status', 0), models.Q(('result_delivery', 'post'), _negated=True), models.Q(('delivery_address', ''), _negated=True), _connector='OR'), name='dossier_post_has_address'),
        ),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.CheckConstraint(condition=models.Q(('postal_tracking_number', ''), ('result_delivery', 'post'), ('status', 10), _negated=True), name='dossier_post_return_tracked'),
        ),
    ]
